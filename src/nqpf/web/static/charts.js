/* The pages' charts. Each reads its data from a <script type="application/json"> block, so no
   page has an inline script (the Content-Security-Policy allows scripts from this origin only). */
(function () {
  'use strict';
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var map = data('tilemap-data');
  if (map) {
    var tiles = map.tiles, en = document.documentElement.lang === 'en';
    var fig = [{x: tiles.map(function (t) { return t.col; }), y: tiles.map(function (t) { return t.row; }),
      mode: 'markers+text', type: 'scatter',
      text: tiles.map(function (t) { return (en ? t.name_en : t.short) + '<br>' + t.rank; }),
      customdata: tiles.map(function (t) { return t.adcode; }),
      hovertext: tiles.map(function (t) { return t.short + ' ' + t.score.toFixed(3); }), hoverinfo: 'text',
      textfont: {color: tiles.map(function (t) { return t.score > 0.45 ? 'white' : '#222'; })},
      marker: {symbol: 'square', size: 62, color: tiles.map(function (t) { return t.score; }),
               colorscale: 'YlGnBu', reversescale: true, showscale: true}}];
    var layout = {xaxis: {visible: false}, yaxis: {visible: false, autorange: 'reversed'},
                  margin: {t: 10, l: 10, r: 10, b: 10}, plot_bgcolor: 'white'};
    Plotly.newPlot('tilemap', fig, layout, {displayModeBar: false}).then(function (gd) {
      gd.on('plotly_click', function (ev) {
        window.location = '/province/' + encodeURIComponent(ev.points[0].customdata) + map.query;
      });
    });
  }

  var radar = data('radar-data');
  if (radar) {
    var names = Object.keys(radar.dims);
    var ring = function (o) { return names.map(function (n) { return o[n]; }).concat([o[names[0]]]); };
    Plotly.newPlot('radar', [
      {type: 'scatterpolar', r: ring(radar.dims), theta: names.concat([names[0]]), fill: 'toself', name: radar.name},
      {type: 'scatterpolar', r: ring(radar.med), theta: names.concat([names[0]]), name: radar.median}],
      {polar: {radialaxis: {range: [0, 1]}}, margin: {t: 20}});
  }

  var traj = data('traj-data');
  if (traj) {
    Plotly.newPlot('traj', traj.map(function (s) {
      return {x: s.years, y: s.ranks, name: s.name, mode: 'lines+markers'};
    }), {yaxis: {autorange: 'reversed', title: 'rank'}, margin: {t: 10}});
  }
})();
