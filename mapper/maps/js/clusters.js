// One cluster group for the events of every category, so that co-located events of different kinds share a
// cluster (and spiderfy together) instead of hiding each other. A cluster is a donut: one arc per category,
// as long as its share of the cluster's events, around the number of events.
L.IncidentClusters = L.MarkerClusterGroup.extend({
    options: {
        showCoverageOnHover: false,
        maxClusterRadius: 40,
        chunkedLoading: true,
        spiderfyDistanceMultiplier: 2.5,  // markers are up to ~50 px wide
        categories: {}   // category: [colour, label], in drawing order
    },

    initialize: function (options) {
        var self = this;
        options = L.extend({iconCreateFunction: function (cluster) { return self.donut(cluster); }}, options);
        L.MarkerClusterGroup.prototype.initialize.call(this, options);
    },

    onAdd: function (map) {
        L.IncidentEvents.sizePanes(map);
        L.MarkerClusterGroup.prototype.onAdd.call(this, map);
        // a click on a cluster zooms to its events clear of the panels (the plugin's own zoom ignores them,
        // so on a small screen the events could land under the date filter); where zooming cannot split the
        // cluster any further, its events spread out around it
        this.off('clusterclick', this._zoomOrSpiderfy, this);
        this.on('clusterclick', this._openCluster, this);
    },

    onRemove: function (map) {
        this.off('clusterclick', this._openCluster, this);
        L.MarkerClusterGroup.prototype.onRemove.call(this, map);
    },

    _openCluster: function (e) {
        var cluster = e.layer, map = this._map, bounds = cluster.getBounds();
        var padding = {paddingTopLeft: this.options.paddingTopLeft, paddingBottomRight: this.options.paddingBottomRight};
        var zoom = map.getBoundsZoom(bounds, false, L.point(padding.paddingTopLeft).add(padding.paddingBottomRight));
        var oneSpot = bounds.getNorthEast().equals(bounds.getSouthWest());
        if (oneSpot || zoom <= map.getZoom() || map.getZoom() >= map.getMaxZoom()) {
            cluster.spiderfy();
        } else {
            map.fitBounds(bounds, padding);
        }
    },

    donut: function (cluster) {
        var cats = this.options.categories, counts = {}, total = 0;
        cluster.getAllChildMarkers().forEach(function (m) {
            counts[m.options.category] = (counts[m.options.category] || 0) + 1;
            total += 1;
        });
        var size = Math.round(30 + 8 * Math.log10(total)), r = size / 2 - 4, c = 2 * Math.PI * r, start = 0;
        var arcs = [], parts = [];
        Object.keys(cats).forEach(function (k) {
            var n = counts[k];
            if (!n) return;
            var len = c * n / total;
            arcs.push('<circle class="im-slice" data-category="' + k + '" r="' + r.toFixed(2) + '" cx="' + size / 2
                + '" cy="' + size / 2 + '" fill="none" stroke="' + cats[k][0] + '" stroke-width="8"'
                + ' stroke-dasharray="' + len.toFixed(2) + ' ' + (c - len).toFixed(2) + '"'
                + ' stroke-dashoffset="' + (-start).toFixed(2) + '"/>');
            start += len;
            parts.push(L.IncidentFormat.number(n) + ' ' + cats[k][1]);
        });
        var html = '<svg width="' + size + '" height="' + size + '" viewBox="0 0 ' + size + ' ' + size + '">'
            + '<circle r="' + (r - 4).toFixed(2) + '" cx="' + size / 2 + '" cy="' + size / 2 + '" fill="#fff"/>'
            + '<g transform="rotate(-90 ' + size / 2 + ' ' + size / 2 + ')">' + arcs.join('') + '</g>'
            + '<text x="50%" y="50%" dy=".35em" text-anchor="middle">' + L.IncidentFormat.number(total) + '</text>'
            + '</svg>';
        var icon = L.divIcon({html: html, className: 'im-cluster', iconSize: L.point(size, size)});
        cluster.options.title = L.IncidentFormat.count(total, 'event') + ': ' + parts.join(', ');
        return icon;
    }
});
