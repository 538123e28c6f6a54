// The structured step editor's live view: as the coordinator types, the form is posted (debounced) to the page's
// Preview handler, which applies it to a copy of the draft and saves nothing; the YAML and the diagram beside the form
// are replaced with the result, each problem is shown beside its input, and the expression a condition's parts build
// is written into its "Advanced" input. Without JavaScript the form posts and redirects as before. A file, not an
// inline script, so that the Content-Security-Policy allows no inline script at all.
(function () {
    'use strict';
    var form = document.getElementById('edit-step');
    if (!form || !form.dataset.previewUrl || !window.fetch || !window.URLSearchParams || !window.FormData) {
        return;
    }
    var yaml = document.querySelector('#yaml-preview code') || document.getElementById('yaml-preview');
    var status = document.getElementById('preview-status');
    var list = document.getElementById('preview-problems');
    var diagram = document.querySelector('.live-preview details.workflow-diagram');
    var timer = null;
    var sent = 0;

    function clearLiveErrors() {
        form.querySelectorAll('.live-error').forEach(function (e) {
            var input = document.getElementById(e.dataset.for);
            if (input) {
                input.classList.remove('is-invalid');
                input.removeAttribute('aria-invalid');
                var described = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && x !== e.id; });
                if (described.length) {
                    input.setAttribute('aria-describedby', described.join(' '));
                } else {
                    input.removeAttribute('aria-describedby');
                }
            }
            e.remove();
        });
    }

    function showProblem(p) {
        var item = document.createElement('li');
        item.textContent = p.message;
        list.appendChild(item);
        var input = p.id && document.getElementById(p.id);
        if (!input || document.getElementById(p.id + '-live')) {
            return;
        }
        var note = document.createElement('div');
        note.className = 'invalid-feedback d-block live-error';
        note.id = p.id + '-live';
        note.dataset.for = p.id;
        note.textContent = p.message;
        input.insertAdjacentElement('afterend', note);
        input.classList.add('is-invalid');
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + note.id).trim());
    }

    function apply(result) {
        yaml.textContent = result.yaml || '';
        if (diagram && result.diagram && window.tibsDiagrams) {
            window.tibsDiagrams.replace(diagram, result.diagram);
        }
        Object.keys(result.expressions || {}).forEach(function (id) {
            var input = document.getElementById(id);
            var composed = document.getElementById(id.replace(/-expression$/, '-composed'));
            if (input && composed && input !== document.activeElement) {
                input.value = result.expressions[id];
                composed.value = result.expressions[id];
            }
        });
        clearLiveErrors();
        list.textContent = '';
        var problems = result.problems || [];
        problems.forEach(showProblem);
        status.textContent = problems.length === 0
            ? 'Preview updated: the YAML and the diagram show your changes. Nothing is saved until you press “Save step”.'
            : 'Preview updated with ' + problems.length + ' problem(s), shown beside their inputs. Saving now would save nothing.';
    }

    function preview() {
        var mine = ++sent;
        var body = new URLSearchParams(new FormData(form));
        fetch(form.dataset.previewUrl, { method: 'POST', body: body, credentials: 'same-origin' })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (result) {
                if (result && mine === sent) {
                    apply(result);
                }
            })
            .catch(function () {
                status.textContent = 'The preview could not be updated; saving still works.';
            });
    }

    function schedule() {
        window.clearTimeout(timer);
        timer = window.setTimeout(preview, 400);
    }

    form.addEventListener('input', schedule);
    form.addEventListener('change', schedule);
    form.dataset.live = 'true';
})();
