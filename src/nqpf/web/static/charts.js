/* The pages' charts and controls. Each chart reads its data from a
   <script type="application/json"> block, so no page has an inline script (the
   Content-Security-Policy allows scripts from this origin only):
   - class="figure" data-target="ID": a Plotly figure {data, layout} built by the server;
   - class="tilemap" data-target="ID": the tile-grid map {tiles, link, colorbar}, its squares
     sized to the screen, each linking to its province.
   The control bar (form.controls) submits itself when a choice changes, so every choice is in
   the URL; the year slider shows its year while it moves. */
(function () {
  'use strict';
  var CONFIG = {responsive: true, displayModeBar: false};

  function blocks(kind) {
    return Array.prototype.slice.call(document.querySelectorAll('script.' + kind + '[type="application/json"]'));
  }

  function drawFigure(el) {
    var target = document.getElementById(el.getAttribute('data-target'));
    if (!target) { return; }
    var spec = JSON.parse(el.textContent);
    var layout = spec.layout || {};
    layout.autosize = true;
    Plotly.newPlot(target, spec.data, layout, CONFIG);
  }

  /* Tile map: columns 1–7, rows 0–7; squares as large as the plot allows. */
  function tileSize(gd) {
    var w = gd.clientWidth || 600;
    var cell = Math.min((w - 20) / 7.4, (gd.clientHeight - 60 || w) / 8.4);
    return Math.max(14, Math.floor(cell * 0.92));
  }

  function drawTilemap(el) {
    var gd = document.getElementById(el.getAttribute('data-target'));
    if (!gd) { return; }
    var map = JSON.parse(el.textContent);
    var tiles = map.tiles;
    var values = tiles.map(function (t) { return t.value; });
    var known = values.filter(function (v) { return v !== null; });
    var lo = Math.min.apply(null, known), hi = Math.max.apply(null, known);
    var size = tileSize(gd);
    function dark(v) {  // text colour readable on the tile's colour
      if (v === null || hi === lo) { return '#222'; }
      var s = (v - lo) / (hi - lo);
      if (map.reverse) { s = 1 - s; }
      return s > 0.55 ? 'white' : '#222';
    }
    var fig = [{x: tiles.map(function (t) { return t.col; }), y: tiles.map(function (t) { return t.row; }),
      mode: 'markers+text', type: 'scatter',
      text: tiles.map(function (t) { return t.name + (t.label ? '<br>' + t.label : ''); }),
      customdata: tiles.map(function (t) { return t.adcode; }),
      hovertext: tiles.map(function (t) { return t.hover || t.name; }), hoverinfo: 'text',
      textfont: {size: Math.max(8, Math.round(size / 5.2)), color: tiles.map(function (t) { return dark(t.value); })},
      marker: {symbol: 'square', size: size,
               color: values.map(function (v) { return v === null ? lo : v; }),
               line: {width: 1, color: tiles.map(function (t) { return t.value === null ? '#bbb' : 'white'; })},
               opacity: tiles.map(function (t) { return t.value === null ? 0.25 : 1; }),
               colorscale: 'YlGnBu', reversescale: !map.reverse, showscale: true,
               colorbar: {orientation: 'h', y: -0.02, yanchor: 'top', thickness: 10, len: 0.9,
                          exponentformat: 'none', separatethousands: true,
                          title: {text: map.colorbar || '', side: 'top'}}}}];
    var layout = {xaxis: {visible: false, range: [0.4, 7.6], fixedrange: true},
                  yaxis: {visible: false, range: [7.6, -0.6], fixedrange: true},
                  margin: {t: 4, l: 4, r: 4, b: 50}, plot_bgcolor: 'white', autosize: true,
                  showlegend: false};
    Plotly.newPlot(gd, fig, layout, CONFIG).then(function (plot) {
      plot.on('plotly_click', function (ev) {
        var code = ev.points[0].customdata;
        window.location = map.link.replace('{code}', encodeURIComponent(code));
      });
      window.addEventListener('resize', function () {
        var s = tileSize(plot);
        Plotly.restyle(plot, {'marker.size': s, 'textfont.size': Math.max(8, Math.round(s / 5.2))});
      });
    });
  }

  /* The control bar: changing a choice reloads the page with it in the URL. */
  function wireControls(form) {
    var year = form.querySelector('input[type=range][name=year]');
    var out = form.querySelector('output');
    if (year && out) {
      year.addEventListener('input', function () { out.textContent = year.value; });
    }
    Array.prototype.forEach.call(form.querySelectorAll('select, input[type=range]'), function (el) {
      el.addEventListener('change', function () { form.submit(); });
    });
    /* at most five provinces to compare */
    var boxes = form.querySelectorAll('fieldset.pick input[type=checkbox]');
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener('change', function () {
        var on = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
        Array.prototype.forEach.call(boxes, function (b) { b.disabled = !b.checked && on >= 5; });
      });
    });
    if (boxes.length) { boxes[0].dispatchEvent(new Event('change')); }
  }

  Array.prototype.forEach.call(document.querySelectorAll('form.controls:not(.filters)'), wireControls);
  blocks('tilemap').forEach(drawTilemap);
  blocks('figure').forEach(drawFigure);
})();
