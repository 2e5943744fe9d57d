// The legend's rows for layers that are off at first (choropleths, heatmap) show while their layer is on.
L.incidentLegend = function (map, id, rows, options) {
    var box = document.getElementById(id);
    L.IncidentPanels.legend(id, options);
    if (!box) return box;
    function sync() {
        rows.forEach(function (row) {
            var el = box.querySelector('.' + row[1]);
            if (el) el.hidden = !map.hasLayer(row[0]);
        });
    }
    map.on('overlayadd overlayremove layeradd layerremove', sync);
    map.whenReady(sync);
    return box;
};
