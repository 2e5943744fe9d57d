// One view of the shared province data: outlines, or a choropleth of one figure (options.field) coloured
// by a precomputed class colour (options.colourField).
L.incidentAdminLayer = function (data, options) {
    var o = options || {};
    return L.geoJSON(data, {
        interactive: !!o.field,
        filter: function (f) { return o.field ? f.properties[o.colourField] !== null : true; },
        style: function (f) {
            if (o.field) {
                return {color: '#555', weight: 0.6, fillColor: f.properties[o.colourField], fillOpacity: 0.65,
                        className: 'im-choropleth im-choropleth-' + o.field};
            }
            return {color: '#666', weight: 0.8, fill: false, className: 'im-outline'};
        },
        onEachFeature: function (f, layer) {
            if (!o.field) return;
            var text = f.properties.name + ': ' + f.properties[o.field].toLocaleString() + ' ' + o.unit
                + ' (' + f.properties.events + ' events)';
            layer.bindTooltip(function () {
                var s = document.createElement('span');
                s.textContent = text;
                return s;
            });
        }
    });
};
