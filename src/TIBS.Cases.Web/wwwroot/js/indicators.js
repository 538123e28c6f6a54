// Draws the indicator charts with Chart.js from the data in each canvas's data-chart attribute (labels and datasets).
// The table next to each chart holds the same figures and is its text alternative. A file, not an inline script,
// so that the Content-Security-Policy allows no inline script at all.
(function () {
    'use strict';
    if (!window.Chart) {
        return;
    }
    // Colours distinguishable with colour-blindness (Okabe-Ito), each at least 3:1 against white.
    var colours = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#56b4e9', '#e69f00'];
    document.querySelectorAll('canvas.indicator-chart[data-chart]').forEach(function (canvas) {
        var data = JSON.parse(canvas.dataset.chart);
        data.datasets.forEach(function (d, i) {
            d.backgroundColor = colours[i % colours.length];
        });
        new window.Chart(canvas, {
            type: 'bar',
            data: data,
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                plugins: { legend: { display: data.datasets.length > 1 } },
                scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
            }
        });
    });
}());
