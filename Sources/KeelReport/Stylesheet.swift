/// The report's inline CSS: system fonts only (nothing is fetched), cards on a light page,
/// and the classes the SVG charts use. It contains no `<` or `&`, so it is valid XML text.
enum Stylesheet {
    static let css = """
        :root { --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --page: #f6f7f9; --card: #ffffff; --accent: #2563eb; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--page); color: var(--ink);
               font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 40px; }
        header h1 { margin: 2px 0 4px; font-size: 26px; font-weight: 650; }
        .eyebrow { margin: 0; color: var(--accent); font-weight: 600; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; }
        .subtitle { margin: 0; color: var(--muted); }
        h2 { font-size: 17px; margin: 30px 0 10px; font-weight: 620; }
        h3 { font-size: 13px; margin: 0 0 8px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .05em; }
        .cards { display: flex; flex-wrap: wrap; gap: 14px; margin-top: 20px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; }
        .metric-card { min-width: 220px; }
        .headline { font-size: 32px; font-weight: 650; line-height: 1.1; }
        .headline small { font-size: 13px; color: var(--muted); font-weight: 500; margin-left: 6px; }
        .metric-card dl { margin: 10px 0 0; display: grid; grid-template-columns: auto auto; gap: 2px 16px; }
        .metric-card dt { color: var(--muted); }
        .metric-card dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
        .details { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 14px; margin-top: 14px; }
        table.facts { border-collapse: collapse; width: 100%; }
        table.facts th { text-align: left; font-weight: 500; color: var(--muted); padding: 3px 12px 3px 0; vertical-align: top; white-space: nowrap; }
        table.facts td { padding: 3px 0; font-variant-numeric: tabular-nums; word-break: break-word; }
        .figures { display: flex; flex-wrap: wrap; gap: 14px; }
        figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px 10px; }
        figcaption { color: var(--muted); font-size: 12.5px; max-width: 500px; margin-top: 4px; }
        .note { color: #b45309; }
        svg { display: block; max-width: 100%; height: auto; font-family: inherit; }
        svg .frame { fill: none; stroke: #9ca3af; stroke-width: 1; }
        svg .grid { stroke: #eef0f3; stroke-width: 1; }
        svg .axis { stroke: #9ca3af; stroke-width: 1; }
        svg .tick { font-size: 11px; fill: var(--muted); font-variant-numeric: tabular-nums; }
        svg .axis-title { font-size: 12px; fill: var(--ink); }
        svg .legend { font-size: 12px; fill: var(--ink); }
        svg .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
        svg .reference { fill: none; stroke: #9ca3af; stroke-width: 1.2; stroke-dasharray: 5 4; }
        svg .dots circle { stroke: #ffffff; stroke-width: 0.8; }
        svg .count { font-size: 12px; font-variant-numeric: tabular-nums; }
        svg .label { font-size: 12px; fill: var(--ink); }
        svg .rate { font-size: 11px; fill: var(--muted); font-variant-numeric: tabular-nums; }
        .anchor-class { display: flex; align-items: center; gap: 10px; margin: 6px 0; }
        .anchor-class .class-name { width: 80px; text-align: right; font-weight: 600; overflow-wrap: anywhere; }
        .anchor-row { display: flex; flex-wrap: wrap; gap: 6px; }
        .anchor-row img { image-rendering: pixelated; border: 1px solid var(--line); border-radius: 3px; background: #ffffff; }
        .colour-key { display: flex; align-items: center; gap: 8px; color: var(--muted); font-size: 12px; margin-top: 8px; }
        .colour-key span.bar { width: 160px; height: 10px; border-radius: 2px; border: 1px solid var(--line);
                               background: linear-gradient(to right, #2166ac, #ffffff, #b2182b); }
        footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
        """
}
