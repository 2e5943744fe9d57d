// Popups and tooltips of incident events: DOM nodes filled with textContent, so that text from a report
// can never become markup or script. One instance per map; event layers take it as an argument.
L.IncidentPopups = L.Class.extend({
    initialize: function (words) {
        this.words = words;
    },

    tooltip: function (p) {
        var N = L.IncidentFormat.number, figures = [];
        if (p.fatalities != null) figures.push(N(p.fatalities) + ' killed');
        if (p.displaced_families != null) figures.push(N(p.displaced_families) + ' families displaced');
        else if (p.displaced_people != null) figures.push(N(p.displaced_people) + ' people displaced');
        return [p.event_date, p.sub_event_type || p.category, p.location].concat(figures).join(' \u00b7 ');
    },

    popup: function (p) {
        var W = this.words, N = L.IncidentFormat.number;
        var root = document.createElement('div');
        root.className = 'im-popup';
        function row(label, value) {
            if (value === null || value === undefined || value === '') return;
            var r = document.createElement('div');
            var b = document.createElement('b');
            b.textContent = label + ': ';
            r.appendChild(b);
            r.appendChild(document.createTextNode(String(value)));
            root.appendChild(r);
        }
        var h = document.createElement('div');
        h.className = 'im-popup-title';
        h.textContent = (p.sub_event_type || p.category) + (p.location ? ' \u2014 ' + p.location : '');
        root.appendChild(h);
        row('Category', p.category);
        row('Type', p.event_type);
        row('Date', p.event_date + (W.time[p.time_precision] ? ' (' + W.time[p.time_precision] + ')' : ''));
        row('Actors', [p.actor1, p.actor2].filter(Boolean).join(' vs '));
        row('Fatalities', p.fatalities != null ? N(p.fatalities) : p.fatalities_text);
        row('Displaced families', p.displaced_families != null ? N(p.displaced_families) : null);
        // people worked out from families and a household size are an estimate, not a reported figure
        row('Displaced people', p.displaced_people == null ? null : p.household_size != null
            ? N(p.displaced_people) + ' (estimated: ' + N(p.displaced_families) + ' families \u00d7 '
              + p.household_size + ' people per household)'
            : N(p.displaced_people));
        row('Destination', p.destination);
        row('Place', (p.location || '') + (p.place_id ? ' [' + p.place_id + ']' : ''));
        row('Precision', W.geo[p.geo_precision]);
        row('Place as written', p.location_text);
        row('Source', p.source);
        row('Needs review', p.review);
        var q = document.createElement('blockquote');
        q.className = 'im-source-text';
        q.textContent = p.source_text || '';
        root.appendChild(q);
        return root;
    }
});
