// Numbers and words the same in every browser, whatever its locale: 819,869 and "1 event" / "2 events".
L.IncidentFormat = {
    number: function (n) {
        if (n === null || n === undefined || n === '' || isNaN(n)) return String(n);
        var parts = String(n).split('.');
        parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',');
        return parts.join('.');
    },
    count: function (n, singular, plural) {
        return L.IncidentFormat.number(n) + ' ' + (n === 1 ? singular : (plural || singular + 's'));
    }
};
