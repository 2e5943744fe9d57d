// Names of the places that have events, drawn from the data (no tiles needed). Labels sit right of their
// place in a pane under the markers; where two would overlap, the place with more events keeps its label.
L.IncidentPlaceLabels = L.LayerGroup.extend({
    initialize: function (places, options) {
        L.LayerGroup.prototype.initialize.call(this, [], options);
        var self = this;
        this.labels = [];
        // places: {n: [name], y: [lat], x: [lon], c: [events]}, most events first
        places.n.forEach(function (name, i) {
            var span = document.createElement('span');
            span.textContent = name;
            var icon = L.divIcon({className: 'im-place-label', html: span, iconSize: null, iconAnchor: [-18, 8]});
            var m = L.marker([places.y[i], places.x[i]], {icon: icon, interactive: false, keyboard: false,
                                                          pane: 'im-labels'});
            self.labels.push(m);
            self.addLayer(m);
        });
    },

    onAdd: function (map) {
        if (!map.getPane('im-labels')) {
            var pane = map.createPane('im-labels');
            pane.style.zIndex = 440;
            pane.style.pointerEvents = 'none';
        }
        L.LayerGroup.prototype.onAdd.call(this, map);
        map.on('zoomend moveend', this._declutter, this);
        this._declutter();
    },

    onRemove: function (map) {
        map.off('zoomend moveend', this._declutter, this);
        L.LayerGroup.prototype.onRemove.call(this, map);
    },

    _declutter: function () {
        var map = this._map, taken = [], shown = [];
        if (!map) return;
        var view = map.getBounds().pad(0.2);
        // writes, then one layout for all the reads, then writes: no reflow per label
        this.labels.forEach(function (m) {
            var el = m.getElement();
            if (!el) return;
            var inView = view.contains(m.getLatLng());
            el.style.display = inView ? '' : 'none';
            if (inView) shown.push(m);
        });
        shown.forEach(function (m) {
            if (m.imSize === undefined) m.imSize = [m.getElement().offsetWidth, m.getElement().offsetHeight];
        });
        shown.forEach(function (m) {
            var p = map.latLngToContainerPoint(m.getLatLng());
            var box = {x0: p.x + 18, y0: p.y - 8, x1: p.x + 18 + m.imSize[0], y1: p.y - 8 + m.imSize[1]};
            var clash = taken.some(function (b) {
                return box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1;
            });
            if (clash) m.getElement().style.display = 'none';
            else taken.push(box);
        });
    }
});
