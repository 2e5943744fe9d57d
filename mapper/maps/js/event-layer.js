// One layer of events: circle markers sized by magnitude (optionally clustered) and the uncertainty circles
// of approximately placed events. The data are columns: {x: [lon], y: [lat], c: {field: values}} where a
// column is a list of values or {u: distinct values, i: index per event} for repetitive ones.
L.IncidentEvents = L.FeatureGroup.extend({
    options: {
        category: '',
        colour: '#777',
        ring: '#222',
        ringWeight: 1,
        cluster: true,
        counted: true,       // false for a layer that repeats events of other layers (needs review)
        areasFromZoom: null, // many events: uncertainty circles only from this zoom level on
        uncertainty: {}      // metres of the uncertainty circle by geo_precision
    },

    initialize: function (data, popups, options) {
        L.setOptions(this, options);
        L.FeatureGroup.prototype.initialize.call(this, []);
        var o = this.options, self = this;
        this.markers = o.cluster
            ? L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true})
            : L.featureGroup();
        this.areas = L.featureGroup();
        this.items = [];
        this.counted = o.counted;
        function val(col, i) { return col && col.u ? col.u[col.i[i]] : (col ? col[i] : undefined); }
        function props(i) {
            var p = {};
            for (var k in data.c) { var v = val(data.c[k], i); if (v !== null && v !== undefined) p[k] = v; }
            return p;
        }
        data.x.forEach(function (x, i) {
            var ll = [data.y[i], x], gp = val(data.c.geo_precision, i);
            var m = L.circleMarker(ll, {radius: val(data.c.r, i), color: o.ring, weight: o.ringWeight,
                                        fillColor: o.colour, fillOpacity: 0.85,
                                        className: 'im-marker im-' + o.category});
            m.bindPopup(function () { return popups.popup(props(i)); }, {maxWidth: 360});
            m.bindTooltip(function () {
                var tip = document.createElement('span');
                tip.textContent = popups.tooltip(props(i));
                return tip;
            });
            m.eventIndex = i;
            var area = null, metres = o.uncertainty[gp];
            if (metres) {
                area = L.circle(ll, {radius: metres, color: o.colour, weight: 1, dashArray: '4 4',
                                     fillOpacity: 0.08, interactive: false,
                                     className: 'im-uncertainty im-precision-' + gp});
            }
            self.items.push({m: m, a: area, d: val(data.c.d, i)});
        });
        this._fill(this.items);
        this.addLayer(this.markers);
        if (!o.areasFromZoom) this.addLayer(this.areas);
    },

    onAdd: function (map) {
        L.FeatureGroup.prototype.onAdd.call(this, map);
        if (this.options.areasFromZoom) {
            map.on('zoomend', this._showAreas, this);
            this._showAreas();
        }
    },

    onRemove: function (map) {
        map.off('zoomend', this._showAreas, this);
        L.FeatureGroup.prototype.onRemove.call(this, map);
    },

    // keep the events whose date index is in [a, b]; returns how many are kept
    showDates: function (a, b) {
        var kept = this.items.filter(function (it) { return it.d >= a && it.d <= b; });
        this.markers.clearLayers();
        this.areas.clearLayers();
        this._fill(kept);
        return kept.length;
    },

    _fill: function (items) {
        var markers = this.markers, areas = this.areas;
        if (markers.addLayers) markers.addLayers(items.map(function (it) { return it.m; }));
        else items.forEach(function (it) { markers.addLayer(it.m); });
        items.forEach(function (it) { if (it.a) areas.addLayer(it.a); });
    },

    _showAreas: function () {
        if (this._map.getZoom() >= this.options.areasFromZoom) this.addLayer(this.areas);
        else this.removeLayer(this.areas);
    }
});
