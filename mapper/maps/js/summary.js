// The summary box's figures, recomputed from the events the date filter keeps.
L.IncidentSummary = L.Class.extend({
    options: {categories: {}},  // category: [colour, label], in display order

    initialize: function (id, options) {
        L.setOptions(this, options);
        this.box = document.getElementById(id);
    },

    _set: function (cls, text) {
        var el = this.box && this.box.querySelector('.' + cls);
        if (el) el.textContent = text;
    },

    // layers: event layers (only counted ones are summed); first, last: the dates of the window
    update: function (layers, first, last) {
        var F = L.IncidentFormat, byCat = {}, events = 0, killed = 0, displaced = 0, sources = {};
        layers.forEach(function (layer) {
            if (!layer.counted) return;
            var cat = layer.options.category;
            layer.kept.forEach(function (it) {
                events += 1;
                byCat[cat] = (byCat[cat] || 0) + 1;
                killed += layer.value('fatalities', it.i) || 0;
                displaced += layer.value('displaced_people', it.i) || 0;
                var s = layer.value('source', it.i);
                if (s !== null && s !== undefined) sources[s] = true;
            });
        });
        var cats = this.options.categories, parts = [];
        Object.keys(cats).forEach(function (k) { if (byCat[k]) parts.push(cats[k][1] + ': ' + F.number(byCat[k])); });
        this._set('im-sum-range', first + ' to ' + last);
        this._set('im-sum-events', F.count(events, 'event'));
        this._set('im-sum-categories', parts.join(', '));
        this._set('im-sum-fatalities', F.number(killed));
        this._set('im-sum-displaced', F.number(displaced));
        this._set('im-sum-sources', F.number(Object.keys(sources).length));
        if (this.box) this.box.setAttribute('data-events', events);
    }
});
