// Draws a version's BPMN export (<details class="bpmn-diagram">) with bpmn-js's viewer the first time the reader opens
// it: the viewer is loaded then from the fingerprinted address in data-bpmn-src and the XML fetched from
// data-bpmn-xml. Import warnings are shown in words and kept in data-warnings (their count) for checks.
(function () {
    'use strict';
    var loading = null;

    function loadViewer(src) {
        if (window.BpmnJS) {
            return Promise.resolve(window.BpmnJS);
        }
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                var script = document.createElement('script');
                script.src = src;
                script.onload = function () { resolve(window.BpmnJS); };
                script.onerror = function () {
                    loading = null;
                    reject(new Error('The BPMN viewer could not be loaded.'));
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
        var status = details.querySelector('.bpmn-status');
        var canvas = details.querySelector('.bpmn-canvas');
        status.textContent = 'Drawing the BPMN diagram…';
        Promise.all([
            loadViewer(details.dataset.bpmnSrc),
            fetch(details.dataset.bpmnXml, { credentials: 'same-origin' }).then(function (r) {
                if (!r.ok) { throw new Error('The BPMN export could not be fetched.'); }
                return r.text();
            })
        ]).then(function (parts) {
            var viewer = new parts[0]({ container: canvas });
            return viewer.importXML(parts[1]).then(function (result) {
                viewer.get('canvas').zoom('fit-viewport');
                var warnings = result.warnings || [];
                details.dataset.warnings = String(warnings.length);
                details.dataset.drawn = 'done';
                status.textContent = warnings.length === 0
                    ? 'The BPMN diagram is drawn from the export.'
                    : 'The BPMN diagram is drawn, with ' + warnings.length + ' warning(s): ' + warnings.map(function (w) { return w.message; }).join('; ');
            });
        }).catch(function (error) {
            delete details.dataset.drawn;
            details.dataset.failed = 'true';
            status.textContent = error.message + ' Download the BPMN file instead.';
        });
    }

    document.querySelectorAll('details.bpmn-diagram').forEach(function (details) {
        details.addEventListener('toggle', function () { draw(details); });
        draw(details);
    });
})();
