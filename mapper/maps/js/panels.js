// The panels over the map can be folded away: the layer control gets a "hide" button (and opens again from
// its icon), the legend is a <details>; on a small screen both start folded so the events are visible.
L.IncidentPanels = {
    layers: function (control, options) {
        var o = L.extend({foldBelow: 900}, options), box = control.getContainer();
        var list = box.querySelector('.leaflet-control-layers-list');
        var hide = L.DomUtil.create('button', 'im-panel-hide', list);
        hide.type = 'button';
        hide.textContent = 'hide layers';
        L.DomEvent.on(hide, 'click', function (e) { L.DomEvent.stop(e); control.collapse(); });
        L.DomEvent.on(box.querySelector('.leaflet-control-layers-toggle'), 'click', function (e) {
            L.DomEvent.stop(e);
            control.expand();
        });
        if (window.innerWidth < o.foldBelow) control.collapse();
    },
    legend: function (id, options) {
        var o = L.extend({foldBelow: 900}, options), box = document.getElementById(id);
        if (box && window.innerWidth < o.foldBelow) box.removeAttribute('open');
    }
};
