/* Stance Tracker's analysis charts, drawn with the vendored ECharts.
   The page embeds its data with `json_script` as #chart-data; `data.kind` says which
   chart to draw into #chart. Nothing here asks the server for data. */
(function () {
  "use strict";

  const source = document.getElementById("chart-data");
  const container = document.getElementById("chart");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);

  // Every colour is a custom property of the style sheet, the palette's one home.
  const style = getComputedStyle(document.documentElement);
  function cssColour(name) { return style.getPropertyValue(name).trim(); }

  const colours = {};
  const names = {};
  (data.labels || []).forEach(function (label) {
    colours[label.value] = cssColour("--" + label.value);
    names[label.value] = label.name;
  });
  // Top to bottom on a chart; category axes run bottom-up, hence the reversal.
  const labelOrder = (data.labels || []).map(function (label) { return label.value; });
  const bottomUp = labelOrder.slice().reverse();
  // Okabe–Ito colours the labels do not use, and a shape each, for actors compared.
  const actorColours = [1, 2, 3, 4, 5].map(function (i) { return cssColour("--actor-" + i); });
  const actorSymbols = ["circle", "rect", "triangle", "diamond", "pin"];

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function stanceStyle(point, colour) {
    // Proposed stances are hollow: a ring in the label's colour.
    return point.proposed
      ? { color: "#ffffff", borderColor: colour, borderWidth: 2, opacity: 1 }
      : { color: colour, borderColor: "#ffffff", borderWidth: 1, opacity: 0.9 };
  }

  function stanceTooltip(params) {
    const p = params.data || {};
    if (p.count) {
      // a point of an aggregated chart: one period's stances of one label
      return (
        '<div class="chart-tip">' +
        "<strong>" + escapeHtml(p.actor) + "</strong> · " + escapeHtml(p.labelName) +
        (p.proposed ? " · <em>proposed, not yet reviewed</em>" : "") +
        "<br>" + escapeHtml(p.date) + ": " + p.count + (p.count === 1 ? " stance" : " stances") +
        "<br><span class=\"chart-tip-aside\">Click to list them.</span></div>"
      );
    }
    if (!p.quote) return "";
    const quote = p.quote.length > 280 ? p.quote.slice(0, 277) + "…" : p.quote;
    return (
      '<div class="chart-tip">' +
      "<strong>" + escapeHtml(p.actor) + "</strong> · " + escapeHtml(p.labelName) +
      (p.proposed ? " · <em>proposed, not yet reviewed</em>" : "") +
      "<br>" + escapeHtml(p.date) + " <span class=\"chart-tip-aside\">(" +
      escapeHtml(p.precision) + " precision)</span>" +
      "<br>“" + escapeHtml(quote) + "”" +
      "<br><span class=\"chart-tip-aside\">" + escapeHtml(p.article) +
      (p.corroboration > 1 ? " · " + p.corroboration + " articles" : "") + "</span></div>"
    );
  }

  function openUrl(params) {
    if (params.data && params.data.url) window.location.href = params.data.url;
  }

  function withStyle(points, colourOf) {
    return points.map(function (point) {
      return Object.assign({}, point, { itemStyle: stanceStyle(point, colourOf(point)) });
    });
  }

  function byLabel(point) {
    return colours[point.stance];
  }

  function timeZoom() {
    return [
      { type: "inside", xAxisIndex: "all", filterMode: "none" },
      { type: "slider", xAxisIndex: "all", filterMode: "none", height: 18, bottom: 8 },
    ];
  }

  // A time axis with half a month's room on each side, so that edge points show whole.
  const DAYS_16 = 16 * 24 * 3600 * 1000;
  function timeAxis(extra) {
    return Object.assign({
      type: "time",
      min: function (range) { return range.min - DAYS_16; },
      max: function (range) { return range.max + DAYS_16; },
      axisLine: { onZero: false },
    }, extra || {});
  }

  function init() {
    // A height the page computed (one lane per actor) is set here, through the CSSOM: the
    // Content-Security-Policy refuses style attributes in the markup.
    if (container.dataset.height) container.style.height = container.dataset.height + "px";
    const chart = echarts.init(container, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function drawActor() {
    const chart = init();
    chart.setOption({
      animation: false,
      grid: { left: 100, right: 30, top: 20, bottom: 70 },
      tooltip: { trigger: "item", confine: true, formatter: stanceTooltip },
      xAxis: timeAxis(),
      yAxis: {
        type: "category",
        data: bottomUp,
        axisLabel: { formatter: function (value) { return names[value] || value; } },
      },
      dataZoom: timeZoom(),
      series: [{ type: "scatter", name: "Stances", data: withStyle(data.points, byLabel) }],
    });
    chart.on("click", openUrl);
  }

  function dateBounds(dates) {
    const times = dates.map(function (d) { return new Date(d).getTime(); });
    const pad = 16 * 24 * 3600 * 1000;
    return { min: Math.min.apply(null, times) - pad, max: Math.max.apply(null, times) + pad };
  }

  function drawCountry() {
    const chart = init();
    const balance = data.balance.map(function (month) {
      return { value: [month.month + "-01", month.value], n: month.n, month: month.month };
    });
    const bounds = dateBounds(
      data.points.map(function (p) { return p.value[0]; }).concat(
        balance.map(function (b) { return b.value[0]; })
      )
    );
    chart.setOption({
      animation: false,
      grid: [
        { left: 170, right: 30, top: 20, bottom: 230 },
        { left: 170, right: 30, height: 120, bottom: 60 },
      ],
      tooltip: { trigger: "item", confine: true },
      xAxis: [
        { type: "time", gridIndex: 0, min: bounds.min, max: bounds.max },
        { type: "time", gridIndex: 1, min: bounds.min, max: bounds.max },
      ],
      yAxis: [
        { type: "category", gridIndex: 0, data: data.lanes },
        {
          type: "value", gridIndex: 1, min: -1, max: 1, interval: 1,
          name: "support − oppose", nameLocation: "middle", nameGap: 40,
        },
      ],
      dataZoom: timeZoom(),
      series: [
        {
          type: "scatter", name: "Stances", xAxisIndex: 0, yAxisIndex: 0,
          data: withStyle(data.points, byLabel), tooltip: { formatter: stanceTooltip },
        },
        {
          type: "line", name: "Monthly balance", xAxisIndex: 1, yAxisIndex: 1,
          data: balance, symbol: "circle", symbolSize: 6,
          lineStyle: { color: "#1d1d1f" }, itemStyle: { color: "#1d1d1f" },
          markLine: { silent: true, symbol: "none", data: [{ yAxis: 0 }], lineStyle: { color: "#bbb" } },
          tooltip: {
            formatter: function (params) {
              const d = params.data;
              return escapeHtml(d.month) + ": " + d.value[1].toFixed(2) + " (" + d.n + " stances)";
            },
          },
        },
      ],
    });
    chart.on("click", { seriesIndex: 0 }, openUrl);
  }

  function drawCompare() {
    const chart = init();
    const top = labelOrder.length - 1;
    chart.setOption({
      animation: false,
      grid: { left: 100, right: 30, top: 50, bottom: 70 },
      legend: { top: 5, data: data.series.map(function (s) { return s.name; }) },
      tooltip: { trigger: "item", confine: true, formatter: stanceTooltip },
      xAxis: timeAxis(),
      yAxis: {
        // Ticks every half step: labels on the whole ones, lines between them.
        type: "value", min: -0.5, max: top + 0.5, interval: 0.5,
        axisTick: { show: false },
        axisLabel: {
          formatter: function (value) {
            const label = labelOrder[top - Math.round(value)];
            return Number.isInteger(value) && label ? names[label] : "";
          },
        },
        splitLine: { show: true, lineStyle: { color: ["#eeeeee"] } },
      },
      dataZoom: timeZoom(),
      series: data.series.map(function (series, index) {
        const colour = actorColours[index % actorColours.length];
        return {
          type: "scatter",
          name: series.name,
          symbol: actorSymbols[index % actorSymbols.length],
          itemStyle: { color: colour },
          data: withStyle(series.points, function () { return colour; }),
        };
      }),
    });
    chart.on("click", openUrl);
  }

  function drawEurope() {
    const slider = document.getElementById("as-of");
    const output = document.getElementById("as-of-label");
    const param = document.getElementById("as-of-param");
    const months = data.months;
    const labelIndex = {};
    labelOrder.forEach(function (label, i) { labelIndex[label] = i; });

    function latest(cells, month) {
      let best = null;
      Object.keys(cells).forEach(function (m) {
        if (m <= month && (best === null || m > best)) best = m;
      });
      return best === null ? null : cells[best];
    }

    fetch(data.geo)
      .then(function (response) { return response.json(); })
      .then(function (geo) {
        echarts.registerMap("europe", geo);
        const onMap = new Set(geo.features.map(function (f) { return f.properties.code; }));
        const chart = init();

        function regions(month) {
          return data.countries
            .filter(function (c) { return onMap.has(c.code); })
            .map(function (c) {
              const label = latest(c.cells, month);
              return label === null ? null : {
                name: c.code, value: labelIndex[label], stance: label, countryName: c.name,
              };
            })
            .filter(Boolean);
        }

        chart.setOption({
          animation: false,
          tooltip: {
            trigger: "item",
            // Confined, ECharts draws no arrow, whose inline style the policy would refuse.
            confine: true,
            formatter: function (params) {
              const d = params.data;
              return d && d.stance ? escapeHtml(d.countryName) + ": " + escapeHtml(names[d.stance])
                       : escapeHtml(params.name) + ": no stance yet";
            },
          },
          visualMap: {
            type: "piecewise",
            dimension: 0,
            show: false, // the page's own legend, above the map, names the colours once
            pieces: labelOrder.map(function (label, i) {
              return { value: i, label: names[label], color: colours[label] };
            }),
            outOfRange: { color: "#eeeeee" },
          },
          series: [{
            type: "map",
            map: "europe",
            nameProperty: "code",
            roam: true,
            itemStyle: { areaColor: "#eeeeee", borderColor: "#999999", borderWidth: 0.5 },
            emphasis: { label: { show: false }, itemStyle: { areaColor: "#fff1a8" } },
            select: { disabled: true },
            data: regions(months[slider.value]),
          }],
        });
        // Only countries with stances are in the database; the others have no page.
        chart.on("click", function (params) {
          if (params.data && params.data.stance) {
            window.location.href = data.countryUrl.replace("XX", params.name);
          }
        });

        function update() {
          const month = months[slider.value];
          chart.setOption({ series: [{ data: regions(month) }] });
          output.textContent = month;
          slider.setAttribute("aria-valuetext", month);
          if (param) param.value = month;
          document.querySelectorAll(".as-of-month").forEach(function (el) { el.textContent = month; });
          data.countries.forEach(function (c) {
            const cell = document.querySelector('tr[data-code="' + c.code + '"] td.as-of');
            if (!cell) return;
            const label = latest(c.cells, month);
            cell.className = "cell as-of" + (label ? " label-" + label : "");
            cell.textContent = label ? label.charAt(0).toUpperCase() : "";
            cell.title = label ? names[label] : "";
          });
          const url = new URL(window.location.href);
          url.searchParams.set("as_of", month);
          window.history.replaceState(null, "", url);
        }
        slider.addEventListener("input", update);
        container.dataset.ready = "true";
      });
  }

  const NETWORK_LABELS = 12;

  function drawNetwork() {
    const chart = init();
    const labelled = new Set(
      data.nodes.slice().sort(function (a, b) { return b.weight - a.weight; })
        .slice(0, NETWORK_LABELS).map(function (node) { return node.id; })
    );
    const strongest = Math.max.apply(null, data.links.map(function (l) { return l.value; }).concat([1]));
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        confine: true, // no arrow: see the map's tooltip
        formatter: function (params) {
          if (params.dataType === "edge") {
            const l = params.data;
            return escapeHtml(l.sourceName) + " – " + escapeHtml(l.targetName) + ": " + l.value +
              " pairs, " + escapeHtml(l.first) + " to " + escapeHtml(l.last);
          }
          return escapeHtml(params.data.name) + (params.data.country ? " (" + escapeHtml(params.data.country) + ")" : "");
        },
      },
      series: [{
        type: "graph",
        layout: "force",
        roam: true,
        draggable: true,
        force: { repulsion: 220, edgeLength: [50, 160], gravity: 0.08, layoutAnimation: false },
        categories: data.categories.map(function (c) {
          return { name: c.name, itemStyle: { color: cssColour("--group-" + c.group), borderColor: "#333", borderWidth: 1 } };
        }),
        // Only the busiest actors carry a name; every node shows its full name on hover.
        label: { show: false, position: "right", fontSize: 11 },
        emphasis: { focus: "adjacency", label: { show: true } },
        lineStyle: {
          color: colours[data.mode === "conflict" ? "oppose" : "support"], opacity: 0.6, curveness: 0.1,
        },
        data: data.nodes.map(function (node) {
          return Object.assign({}, node, {
            symbolSize: 10 + 3 * Math.sqrt(node.weight),
            label: { show: labelled.has(node.id) },
          });
        }),
        links: data.links.map(function (link) {
          return Object.assign({}, link, { lineStyle: { width: 1 + 5 * link.value / strongest } });
        }),
      }],
    });
    chart.on("click", { dataType: "node" }, openUrl);
  }

  const draw = {
    actor: drawActor,
    country: drawCountry,
    compare: drawCompare,
    europe: drawEurope,
    network: drawNetwork,
  };
  if (container && draw[data.kind]) draw[data.kind]();
})();
