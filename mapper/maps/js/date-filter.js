// A control with two sliders (from, to) over the event dates and a play button that steps through the
// days; the event layers it is given keep only the events inside the window.
L.Control.IncidentDates = L.Control.extend({
    options: {position: 'bottomright'},

    initialize: function (dates, layers, options) {
        L.setOptions(this, options);
        this.dates = dates;
        this.layers = layers;
    },

    onAdd: function () {
        var dates = this.dates, layers = this.layers;
        var box = L.DomUtil.create('div', 'im-date-filter im-box');
        var label = L.DomUtil.create('div', 'im-date-label', box);
        function slider(value, cls) {
            var s = L.DomUtil.create('input', cls, box);
            s.type = 'range'; s.min = 0; s.max = dates.length - 1; s.value = value;
            return s;
        }
        var from = slider(0, 'im-date-from'), to = slider(dates.length - 1, 'im-date-to');
        var play = L.DomUtil.create('button', 'im-date-play', box);
        play.type = 'button';
        play.textContent = '\u25b6 play days';
        function apply() {
            var a = Math.min(+from.value, +to.value), b = Math.max(+from.value, +to.value), shown = 0;
            layers.forEach(function (layer) {
                var kept = layer.showDates(a, b);
                if (layer.counted) shown += kept;
            });
            label.textContent = dates[a] + ' \u2013 ' + dates[b] + ' \u00b7 ' + shown + ' events';
            box.setAttribute('data-shown', shown);
        }
        from.addEventListener('input', apply);
        to.addEventListener('input', apply);
        var timer = null;
        play.addEventListener('click', function () {
            if (timer) { clearInterval(timer); timer = null; play.textContent = '\u25b6 play days'; return; }
            var day = 0;
            play.textContent = '\u25a0 stop';
            timer = setInterval(function () {
                from.value = day; to.value = day; apply(); day += 1;
                if (day >= dates.length) { clearInterval(timer); timer = null; play.textContent = '\u25b6 play days'; }
            }, 700);
        });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        setTimeout(apply, 0);
        return box;
    }
});
