// The definition editor's YAML view: CodeMirror 6 (wwwroot/lib/codemirror, loaded by the page) over the plain
// <textarea id="yaml">, which stays the form's field and is kept in step with the editor. As the coordinator types,
// the text is checked by the draft page's Check handler (debounced) and every problem with a line and column is shown
// as an inline mark. Without JavaScript, or if CodeMirror is not loaded, the textarea works as before.
(function () {
    'use strict';
    var cm = window.TibsCodeMirror;
    var textarea = document.getElementById('yaml');
    if (!cm || !textarea || !textarea.dataset.checkUrl) {
        return;
    }
    var form = textarea.form;
    var token = form.querySelector('input[name="__RequestVerificationToken"]');
    var summary = document.getElementById('yaml-live-problems');

    function check(view) {
        var body = new URLSearchParams();
        body.set('Yaml', view.state.doc.toString());
        if (token) {
            body.set('__RequestVerificationToken', token.value);
        }
        return fetch(textarea.dataset.checkUrl, { method: 'POST', body: body, credentials: 'same-origin' })
            .then(function (r) { return r.ok ? r.json() : { problems: [] }; })
            .then(function (result) {
                var doc = view.state.doc;
                var problems = result.problems || [];
                if (summary) {
                    summary.textContent = problems.length === 0 ? 'No problems found.' : problems.length + ' problem(s) found; they are marked in the text.';
                }
                return problems.map(function (p) {
                    var lineNumber = Math.min(Math.max(p.line || 1, 1), doc.lines);
                    var line = doc.line(lineNumber);
                    var from = Math.min(line.from + Math.max((p.column || 1) - 1, 0), line.to);
                    return {
                        from: from,
                        to: Math.max(line.to, from),
                        severity: 'error',
                        message: (p.path ? p.path + ': ' : '') + p.message
                    };
                });
            })
            .catch(function () { return []; });
    }

    var host = document.createElement('div');
    host.className = 'yaml-editor border rounded';
    textarea.parentNode.insertBefore(host, textarea.nextSibling);
    var view = new cm.EditorView({
        parent: host,
        state: cm.EditorState.create({
            doc: textarea.value,
            extensions: [
                cm.basicSetup,
                cm.yaml(),
                cm.lintGutter(),
                cm.linter(check, { delay: 700 }),
                cm.EditorView.contentAttributes.of({ 'aria-label': 'Definition (YAML)', 'aria-describedby': 'yaml-help' }),
                cm.EditorView.updateListener.of(function (update) {
                    if (update.docChanged) {
                        textarea.value = update.state.doc.toString();
                        textarea.dispatchEvent(new Event('input', { bubbles: true }));
                    }
                })
            ]
        })
    });
    // The scrolling area can be reached by keyboard too (to scroll a long definition without editing it).
    view.scrollDOM.tabIndex = 0;
    view.scrollDOM.setAttribute('role', 'region');
    view.scrollDOM.setAttribute('aria-label', 'Definition (YAML), scrollable');
    textarea.classList.add('d-none');
    textarea.setAttribute('aria-hidden', 'true');
    textarea.tabIndex = -1;
    host.dataset.ready = 'true';
    window.tibsYamlEditor = view;
})();
