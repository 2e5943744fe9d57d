// One category's events: circle markers sized by magnitude and the uncertainty circles of approximately
// placed events. Markers go into a shared cluster group (L.IncidentClusters) when one is given, else onto
// the map directly; either way smaller markers lie above larger ones (one pane per size class).
// The data are columns: {x: [lon], y: [lat], c: {field: values}} where a column is a list of values or
// {u: distinct values, i: index per event} for repetitive ones.
L.IncidentEvents = L.FeatureGroup.extend({
    options: {
        category: '',
        colour: '#777',
        ring: '#222',
        ringWeight: 1,
        counted: true,       // false for a layer that repeats events of other layers (needs review)
        areasFromZoom: null, // many events: uncertainty circles only from this zoom level on
        uncertainty: {},     // metres of the uncertainty circle by geo_precision
        sizePanes: true      // false on a canvas map (stacked canvases would hide each other's events)
    },

    statics: {
        PANES: 6,
        // a pane per marker size class, smaller ones above: a small event is never hidden under a big one
        sizePanes: function (map) {
            for (var k = 0; k < L.IncidentEvents.PANES; k++) {
                if (!map.getPane('im-size-' + k)) {
                    var pane = map.createPane('im-size-' + k);
                    pane.style.zIndex = 460 - k;
                    L.DomUtil.addClass(pane, 'im-size-pane');
                }
            }
        },
        sizeClass: function (radius) {
            return Math.max(0, Math.min(L.IncidentEvents.PANES - 1, Math.floor((radius - 5) / 3)));
        }
    },

    initialize: function (data, popups, clusters, options) {
        L.setOptions(this, options);
        L.FeatureGroup.prototype.initialize.call(this, []);
        var o = this.options, self = this;
        this.clusters = clusters;
        this.markers = L.featureGroup();
        this.areas = L.featureGroup();
        this.items = [];
        this.kept = [];
        this.counted = o.counted;
        this.data = data;
        data.x.forEach(function (x, i) {
            var ll = [data.y[i], x], gp = self.value('geo_precision', i), r = self.value('r', i);
            var m = L.circleMarker(ll, {radius: r, color: o.ring, weight: o.ringWeight, fillColor: o.colour,
                                        fillOpacity: 0.85, category: o.category,
                                        pane: o.sizePanes ? 'im-size-' + L.IncidentEvents.sizeClass(r) : 'overlayPane',
                                        className: 'im-marker im-' + o.category});
            m.bindPopup(function () { return popups.popup(self.props(i)); }, {maxWidth: 360});
            m.bindTooltip(function () {
                var tip = document.createElement('span');
                tip.textContent = popups.tooltip(self.props(i));
                return tip;
            });
            m.eventIndex = i;
            var area = null, metres = o.uncertainty[gp];
            if (metres) {
                area = L.circle(ll, {radius: metres, color: o.colour, weight: 1, dashArray: '4 4',
                                     fillOpacity: 0.08, interactive: false,
                                     className: 'im-uncertainty im-precision-' + gp});
            }
            self.items.push({m: m, a: area, d: self.value('d', i), i: i});
        });
        this.addLayer(this.markers);
        if (!o.areasFromZoom) this.addLayer(this.areas);
        this._keep(this.items);
    },

    value: function (field, i) {
        var col = this.data.c[field];
        return col && col.u ? col.u[col.i[i]] : (col ? col[i] : undefined);
    },

    props: function (i) {
        var p = {};
        for (var k in this.data.c) { var v = this.value(k, i); if (v !== null && v !== undefined) p[k] = v; }
        return p;
    },

    onAdd: function (map) {
        if (this.options.sizePanes) L.IncidentEvents.sizePanes(map);
        L.FeatureGroup.prototype.onAdd.call(this, map);
        if (this.clusters) this.clusters.addLayers(this._keptMarkers());
        if (this.options.areasFromZoom) {
            map.on('zoomend', this._showAreas, this);
            this._showAreas();
        }
    },

    onRemove: function (map) {
        map.off('zoomend', this._showAreas, this);
        if (this.clusters) this.clusters.removeLayers(this._keptMarkers());
        L.FeatureGroup.prototype.onRemove.call(this, map);
    },

    // keep the events whose date index is in [a, b]; returns the items kept
    showDates: function (a, b) {
        return this._keep(this.items.filter(function (it) { return it.d >= a && it.d <= b; }));
    },

    // show exactly these items: only the difference to what is shown is removed and added (a cluster
    // group re-clusters per marker, so re-adding every marker for each slider step would be slow)
    _keep: function (items) {
        var clusters = this._map ? this.clusters : null, markers = this.markers, areas = this.areas;
        items.forEach(function (it) { it.next = true; });
        var gone = this.kept.filter(function (it) { return !it.next; });
        var come = items.filter(function (it) { return !it.shown; });
        items.forEach(function (it) { it.next = false; });
        gone.forEach(function (it) { it.shown = false; if (it.a) areas.removeLayer(it.a); });
        come.forEach(function (it) { it.shown = true; if (it.a) areas.addLayer(it.a); });
        if (this.clusters) {
            if (clusters && gone.length) clusters.removeLayers(gone.map(function (it) { return it.m; }));
            if (clusters && come.length) clusters.addLayers(come.map(function (it) { return it.m; }));
        } else {
            gone.forEach(function (it) { markers.removeLayer(it.m); });
            come.forEach(function (it) { markers.addLayer(it.m); });
        }
        this.kept = items;
        return items;
    },

    _keptMarkers: function () {
        return this.kept.map(function (it) { return it.m; });
    },

    _showAreas: function () {
        if (this._map.getZoom() >= this.options.areasFromZoom) this.addLayer(this.areas);
        else this.removeLayer(this.areas);
    }
});
