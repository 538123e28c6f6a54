// Draws a workflow diagram (<details class="workflow-diagram"> holding a <pre class="mermaid">) the first time the
// reader opens it: Mermaid (2.7 MB) is loaded then, from the fingerprinted address in data-mermaid-src, and never on
// pages where nobody looks at a diagram. A file, not an inline script, so that the Content-Security-Policy allows no
// inline script at all.
(function () {
    'use strict';
    var loading = null;

    function loadMermaid(src) {
        if (window.mermaid) {
            return Promise.resolve(window.mermaid);
        }
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                var script = document.createElement('script');
                script.src = src;
                script.onload = function () {
                    window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
                    resolve(window.mermaid);
                };
                script.onerror = function () {
                    loading = null;
                    reject(new Error('The diagram script could not be loaded.'));
                };
                document.head.appendChild(script);
            });
        }
        return loading;
    }

    function draw(details) {
        if (!details.open || details.dataset.drawn) {
            return;
        }
        details.dataset.drawn = 'drawing';
        var status = details.querySelector('.diagram-status');
        if (status) {
            status.textContent = 'Drawing the diagram…';
        }
        loadMermaid(details.dataset.mermaidSrc)
            .then(function (mermaid) {
                return mermaid.run({ nodes: details.querySelectorAll('pre.mermaid') });
            })
            .then(function () {
                details.dataset.drawn = 'yes';
                if (status) {
                    status.textContent = 'State diagram of the workflow. The text form is under "Diagram source".';
                }
            })
            .catch(function () {
                delete details.dataset.drawn;
                if (status) {
                    status.textContent = 'The diagram could not be drawn. Its text form is under "Diagram source".';
                }
            });
    }

    // Puts new diagram text into a drawn (or not yet drawn) diagram and draws it again if it is open: the structured
    // editor's live view calls this as the coordinator types.
    function replace(details, text) {
        var old = details.querySelector('pre.mermaid');
        if (!old || old.dataset.source === text) {
            return;
        }
        var pre = document.createElement('pre');
        pre.className = 'mermaid';
        pre.textContent = text;
        pre.dataset.source = text;
        old.parentNode.replaceChild(pre, old);
        var source = details.nextElementSibling && details.nextElementSibling.querySelector('.mermaid-source');
        if (source) {
            source.textContent = text;
        }
        if (details.dataset.drawn !== 'drawing') {
            delete details.dataset.drawn;
        }
        draw(details);
    }

    window.tibsDiagrams = { replace: replace };

    document.querySelectorAll('details.workflow-diagram').forEach(function (details) {
        details.addEventListener('toggle', function () { draw(details); });
        draw(details);
    });
})();
