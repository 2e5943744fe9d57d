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
        this.fire('window', {from: lo, to: hi});
        return this;
    },

    onAdd: function () {
        var self = this, dates = this.dates;
        var box = this.box = L.DomUtil.create('div', 'im-date-filter im-box');
        this.label = L.DomUtil.create('div', 'im-date-label', box);
        this.chart = L.DomUtil.create('div', 'im-timeline', box);
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
L.Control.IncidentDates.include(L.Evented.prototype);
