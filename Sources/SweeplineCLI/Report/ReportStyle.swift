/// The report's stylesheet, inlined so the file opens anywhere without a network: system fonts
/// only, no web fonts, no external URLs. Charts take their strokes and fills from here too.
enum ReportStyle {
    static let css = """
        :root {
          --ink: #1d2430; --muted: #5b6472; --faint: #8a93a1; --line: #e3e7ed; --grid: #edf0f4;
          --paper: #ffffff; --page: #f4f6f9; --accent: #2f5d8a; --bad: #b3261e; --bad-bg: #fdf0ef;
        }
        * { box-sizing: border-box; }
        body {
          margin: 0; background: var(--page); color: var(--ink);
          font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial,
            sans-serif;
        }
        main { max-width: 1320px; margin: 0 auto; padding: 28px 32px 48px; }
        h1 { font-size: 26px; line-height: 1.2; margin: 2px 0 6px; letter-spacing: -0.01em; }
        h2 { font-size: 20px; margin: 0 0 2px; letter-spacing: -0.01em; }
        h3 { font-size: 14px; margin: 26px 0 8px; text-transform: uppercase; letter-spacing: 0.06em;
          color: var(--muted); }
        a { color: var(--accent); text-decoration: none; }
        a:hover { text-decoration: underline; }
        .eyebrow { font-size: 12px; font-weight: 600; letter-spacing: 0.08em; text-transform: uppercase;
          color: var(--accent); }
        .meta { color: var(--muted); margin: 0; }
        .meta b { color: var(--ink); font-weight: 600; }
        .stats { display: flex; flex-wrap: wrap; gap: 12px; margin: 18px 0 14px; }
        .stat { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px;
          min-width: 120px; }
        .stat .value { display: block; font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
        .stat .label { display: block; font-size: 12px; color: var(--muted); }
        .stat.bad { border-color: #f0c4c0; background: var(--bad-bg); }
        .stat.bad .value { color: var(--bad); }
        nav.contents { font-size: 13px; color: var(--muted); }
        nav.contents a { margin-right: 14px; white-space: nowrap; }
        section.card { background: var(--paper); border: 1px solid var(--line); border-radius: 10px;
          padding: 22px 24px 24px; margin-top: 22px; }
        .scenario-tag { display: inline-block; font-size: 13px; font-weight: 600; color: var(--accent);
          background: #eaf1f8; border-radius: 5px; padding: 1px 8px; margin-left: 8px; vertical-align: 3px; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 20px; margin: 14px 0 4px; font-size: 13px; }
        .legend .item { display: inline-flex; align-items: center; gap: 7px; }
        .legend .count { color: var(--faint); font-variant-numeric: tabular-nums; }
        .key { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 12px; color: var(--muted);
          margin-bottom: 8px; }
        .key .item { display: inline-flex; align-items: center; gap: 6px; }
        .sw { display: inline-block; width: 11px; height: 11px; flex: none; }
        .sw.circle { border-radius: 50%; }
        .sw.triangle { clip-path: polygon(50% 0, 100% 100%, 0 100%); width: 12px; }
        .sw.diamond { clip-path: polygon(50% 0, 100% 50%, 50% 100%, 0 50%); width: 13px; height: 13px; }
        .sw.dim { opacity: 0.4; }
        .sw.hollow { background: transparent !important; border: 1.6px solid var(--faint); border-radius: 50%; }
        .sw.stroke { width: 20px; height: 2.5px; border-radius: 2px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 18px 26px;
          margin-top: 10px; }
        figure { margin: 0; }
        figcaption { font-size: 14px; font-weight: 600; margin-bottom: 2px; }
        figcaption span { display: block; font-size: 12px; font-weight: 400; color: var(--muted); }
        figure svg { display: block; width: 100%; height: auto; }
        svg text { font-family: inherit; font-size: 11px; fill: var(--muted); font-variant-numeric: tabular-nums; }
        svg .axis-title { font-size: 12px; fill: var(--ink); font-weight: 500; }
        svg .plot { fill: #fbfcfd; stroke: #cfd5dd; }
        svg .grid line { stroke: var(--grid); stroke-width: 1; }
        svg .empty { font-size: 13px; fill: var(--faint); }
        svg .frontier { fill: none; stroke-width: 2.2; stroke-linejoin: round; stroke-linecap: round; opacity: 0.9; }
        svg .trace { fill: none; stroke-width: 1.2; opacity: 0.45; }
        svg .mk.on { stroke: #ffffff; stroke-width: 1.2; }
        svg .mk.off { fill-opacity: 0.28; stroke-opacity: 0.75; stroke-width: 1; }
        svg .mk.invalid { fill: #ffffff; stroke-width: 1.6; stroke-dasharray: 2.2 1.4; }
        svg .mk:hover { stroke: var(--ink); stroke-width: 2; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
        th, td { padding: 5px 10px; text-align: left; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { font-size: 12px; font-weight: 600; color: var(--muted); border-bottom: 1.5px solid #cfd5dd;
          white-space: nowrap; }
        td.num, th.num { text-align: right; }
        tbody tr:hover td { background: #f7f9fc; }
        tr.group th { background: #f7f8fa; font-weight: 600; padding-top: 8px; }
        tr.group th .count { font-weight: 400; color: var(--faint); margin-left: 6px; }
        tr.group th .sw { margin-right: 8px; vertical-align: -1px; }
        td.best { font-weight: 700; }
        td.nowrap { white-space: nowrap; }
        td.none { color: var(--faint); }
        td .ci { color: var(--faint); font-size: 0.85em; white-space: nowrap; }
        .reasons { margin: 0; padding-left: 16px; color: var(--bad); }
        .note { font-size: 12px; color: var(--muted); margin: 6px 0 0; }
        .ok { color: var(--muted); }
        .bad-text { color: var(--bad); }
        tr.regressed td { background: var(--bad-bg); }
        dl.definitions { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; font-size: 13px;
          margin: 6px 0 0; }
        dl.definitions dt { font-weight: 600; }
        dl.definitions dd { margin: 0; color: var(--muted); }
        footer { color: var(--faint); font-size: 12px; margin-top: 22px; }
        @media print { body { background: #fff; } section.card { break-inside: avoid; } }
        """
}
