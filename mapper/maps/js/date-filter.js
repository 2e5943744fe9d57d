// A control with two sliders (from, to) over the event dates and a play button that steps through the
// days; the event layers it is given keep only the events inside the window, and the summary follows.
// When playing ends (or is stopped) the full range is shown again.
L.Control.IncidentDates = L.Control.extend({
    options: {position: 'bottomright'},

    initialize: function (dates, layers, summary, options) {
        L.setOptions(this, options);
        this.dates = dates;
        this.layers = layers;
        this.summary = summary;
    },

    // show the events of dates[a] .. dates[b]
    setWindow: function (a, b) {
        var lo = Math.min(a, b), hi = Math.max(a, b), shown = 0, dates = this.dates;
        this.from.value = lo;
        this.to.value = hi;
        this.layers.forEach(function (layer) {
            var kept = layer.showDates(lo, hi);
            if (layer.counted) shown += kept.length;
        });
        this.label.textContent = dates[lo] + ' \u2013 ' + dates[hi] + ' \u00b7 ' + L.IncidentFormat.count(shown, 'event');
        this.box.setAttribute('data-shown', shown);
        if (this.summary) this.summary.update(this.layers, dates[lo], dates[hi]);
        this._shade(lo, hi);
        return this;
    },

    // The timeline: events per day, week or month (by span) stacked by category, under the sliders'
    // window; dragging across it (brushing) sets the window, a click shows every day again.
    _timeline: function (box) {
        var self = this, dates = this.dates, W = 320, H = 56, top = 4;
        var t = dates.map(function (d) { return Date.parse(String(d).slice(0, 10) + 'T00:00:00Z'); });
        var byTime = t.every(function (v) { return !isNaN(v); });
        var DAY = 86400000, t0 = byTime ? t[0] : 0, t1 = byTime ? t[t.length - 1] : dates.length - 1;
        var span = byTime ? (t1 - t0) / DAY : dates.length;
        var unit = !byTime ? 1 : span <= 120 ? DAY : span <= 3 * 365 ? 7 * DAY : 30.44 * DAY;
        this.chartUnit = !byTime ? 'date' : unit === DAY ? 'day' : unit === 7 * DAY ? 'week' : 'month';
        var nBins = Math.max(1, Math.floor((t1 - t0) / unit) + 1);
        function bin(i) { return Math.min(nBins - 1, Math.floor(((byTime ? t[i] : i) - t0) / unit)); }
        this._x = function (i) { return bin(i) * W / nBins; };
        this._w = W / nBins;
        var counts = [], max = 0;
        for (var b = 0; b < nBins; b++) counts.push({});
        this.layers.forEach(function (layer) {
            if (!layer.counted) return;
            var cat = layer.options.category;
            layer.items.forEach(function (it) { var c = counts[bin(it.d)]; c[cat] = (c[cat] || 0) + 1; });
        });
        counts.forEach(function (c) {
            var n = 0; for (var k in c) n += c[k];
            max = Math.max(max, n);
        });
        var NS = 'http://www.w3.org/2000/svg';
        function el(name, attrs, parent) {
            var e = document.createElementNS(NS, name);
            for (var a in attrs) e.setAttribute(a, attrs[a]);
            if (parent) parent.appendChild(e);
            return e;
        }
        var svg = el('svg', {width: W, height: H + top, viewBox: '0 0 ' + W + ' ' + (H + top), 'class': 'im-timeline-chart'});
        var colours = {};
        this.layers.forEach(function (l) { if (l.counted) colours[l.options.category] = l.options.colour; });
        var order = this.layers.filter(function (l) { return l.counted; }).map(function (l) { return l.options.category; });
        counts.forEach(function (c, b) {
            var y = H + top;
            order.forEach(function (cat) {
                if (!c[cat]) return;
                var h = Math.max(1, c[cat] / max * H);
                y -= h;
                var r = el('rect', {x: (b * W / nBins).toFixed(2), y: y.toFixed(2), width: Math.max(1, W / nBins - 0.5).toFixed(2),
                                    height: h.toFixed(2), fill: colours[cat], 'class': 'im-bar', 'data-category': cat}, svg);
                el('title', {}, r).textContent = L.IncidentFormat.count(c[cat], 'event');
            });
        });
        this.shade = el('rect', {x: 0, y: 0, width: W, height: H + top, 'class': 'im-timeline-window'}, svg);
        var brush = el('rect', {x: 0, y: 0, width: 0, height: H + top, 'class': 'im-timeline-brush'}, svg);
        box.appendChild(svg);
        var start = null;
        function px(e) { var r = svg.getBoundingClientRect(); return Math.max(0, Math.min(W, e.clientX - r.left)); }
        svg.addEventListener('pointerdown', function (e) {
            start = px(e);
            svg.setPointerCapture(e.pointerId);
            brush.setAttribute('x', start); brush.setAttribute('width', 0);
        });
        svg.addEventListener('pointermove', function (e) {
            if (start === null) return;
            var x = px(e);
            brush.setAttribute('x', Math.min(start, x)); brush.setAttribute('width', Math.abs(x - start));
        });
        svg.addEventListener('pointerup', function (e) {
            if (start === null) return;
            var a = Math.min(start, px(e)), b = Math.max(start, px(e));
            start = null;
            brush.setAttribute('width', 0);
            if (b - a < 3) { self.setWindow(0, dates.length - 1); return; }
            var inside = [];
            dates.forEach(function (d, i) { var x = self._x(i); if (x + self._w > a && x < b) inside.push(i); });
            if (inside.length) self.setWindow(inside[0], inside[inside.length - 1]);
        });
        var caption = L.DomUtil.create('div', 'im-timeline-caption', box);
        caption.textContent = 'events per ' + this.chartUnit + ' · drag across to choose days, click for all';
    },

    _shade: function (lo, hi) {
        if (!this.shade) return;
        var x0 = this._x(lo), x1 = this._x(hi) + this._w;
        this.shade.setAttribute('x', x0.toFixed(2));
        this.shade.setAttribute('width', Math.max(1, x1 - x0).toFixed(2));
    },

    onAdd: function () {
        var self = this, dates = this.dates;
        var box = this.box = L.DomUtil.create('div', 'im-date-filter im-box');
        this.label = L.DomUtil.create('div', 'im-date-label', box);
        this._timeline(L.DomUtil.create('div', 'im-timeline', box));
        function slider(value, cls) {
            var s = L.DomUtil.create('input', cls, box);
            s.type = 'range'; s.min = 0; s.max = dates.length - 1; s.value = value;
            s.setAttribute('aria-label', cls === 'im-date-from' ? 'first day shown' : 'last day shown');
            return s;
        }
        this.from = slider(0, 'im-date-from');
        this.to = slider(dates.length - 1, 'im-date-to');
        var play = L.DomUtil.create('button', 'im-date-play', box);
        play.type = 'button';
        play.textContent = '\u25b6 play days';
        function apply() { self.setWindow(+self.from.value, +self.to.value); }
        this.from.addEventListener('input', apply);
        this.to.addEventListener('input', apply);
        var timer = null;
        function stop() {
            clearInterval(timer); timer = null;
            play.textContent = '\u25b6 play days';
            self.setWindow(0, dates.length - 1);
        }
        play.addEventListener('click', function () {
            if (timer) { stop(); return; }
            var day = 0;
            play.textContent = '\u25a0 stop';
            timer = setInterval(function () {
                if (day >= dates.length) { stop(); return; }
                self.setWindow(day, day);
                day += 1;
            }, 700);
        });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        setTimeout(apply, 0);
        return box;
    }
});
