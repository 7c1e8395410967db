"""report.html: one self-contained file (no network, no external assets) that opens in any browser."""

from __future__ import annotations

from html import escape

from checker.audit import diagram
from checker.audit.chain import Chain
from checker.model import Severity

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1c1c1c;background:#fafafa}
header,main{max-width:1200px;margin:0 auto;padding:0 24px}
header{padding-top:20px}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555}
.counts{display:flex;gap:12px;margin:14px 0}
.count{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px 14px;min-width:90px}
.count b{display:block;font-size:22px}
.deny{color:#c62828}.warn{color:#b26a00}.allow{color:#2e7d32}
#diagram{background:#fff;border:1px solid #ddd;border-radius:8px;max-width:100%;height:auto}
#diagram .node rect{fill:#e8eef7;stroke:#34495e;stroke-width:1.5}
#diagram .node text{font-weight:600;font-size:13px;fill:#1c1c1c}
#diagram .edge-label{font-size:11px;font-weight:600}
#diagram .legend text{font-size:12px;fill:#333}
table{border-collapse:collapse;background:#fff;width:100%;margin:6px 0}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0;cursor:pointer;user-select:none;white-space:nowrap}
th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
td.cell-deny{background:#fdecea}td.cell-warn{background:#fff4e0}td.cell-allow{background:#eaf5ea}
td.cell-none{color:#aaa}
pre{margin:0;white-space:pre-wrap;font-size:12px}
input.filter{margin:6px 0;padding:5px 8px;width:320px;border:1px solid #bbb;border-radius:6px}
.sev-error{color:#c62828;font-weight:600}.sev-warning{color:#b26a00;font-weight:600}.sev-info{color:#1565c0}
.waived{color:#7b1fa2;font-weight:600}
footer{max-width:1200px;margin:30px auto;padding:0 24px;color:#777;font-size:12px}
"""

# Sorting by a click on a header, filtering by a text box above a table: enough for a person hunting a flow.
_JS = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, col) {
    th.addEventListener('click', function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var asc = !th.classList.contains('sorted-asc');
      table.querySelectorAll('th').forEach(function (h) { h.classList.remove('sorted-asc', 'sorted-desc'); });
      th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
      rows.sort(function (a, b) {
        var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
document.querySelectorAll('input.filter').forEach(function (input) {
  var table = document.getElementById(input.dataset.table);
  input.addEventListener('input', function () {
    var q = input.value.toLowerCase();
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      r.style.display = r.textContent.toLowerCase().indexOf(q) === -1 ? 'none' : '';
    });
  });
});
"""


def _table(table_id: str, headers: list[str], rows: list[list[str]], filterable: bool = True) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(rows_cell for rows_cell in row) + "</tr>" for row in rows)
    box = (
        f'<input class="filter" type="search" placeholder="filter…" data-table="{table_id}" aria-label="filter">'
        if filterable
        else ""
    )
    return f'{box}<table id="{table_id}" class="sortable"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _td(text: object, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{escape(str(text))}</td>"


def render(chain: Chain, generated: str) -> str:
    """The whole page."""
    report = chain.report
    engine = report.engine
    pack = engine.pack if engine else {}
    title = "ketencheck audit"
    warnings = report.count(Severity.WARNING)
    counts = [
        ("flows", len(report.results), ""),
        ("allowed", report.allowed, "allow"),
        ("denied", report.denied, "deny"),
        ("warnings", warnings, "warn"),
        ("waived", report.waived, ""),
        ("input errors", len(report.errors), "deny" if report.errors else ""),
    ]
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{title}: the chain at a glance</h1>",
        f'<div class="meta">policy pack {escape(str(pack.get("name", "?")))} {escape(str(pack.get("version", "")))}'
        f" · OPA {escape(engine.version if engine else '?')} · generated {escape(generated)}</div>",
        '<div class="counts">'
        + "".join(f'<div class="count {cls}"><b>{n}</b>{escape(label)}</div>' for label, n, cls in counts)
        + "</div></header><main>",
        "<h2>Flow diagram</h2>",
        diagram.svg(chain),
        "<h2>Partner × document matrix</h2>",
        "<p>Each cell: the widest form the need-to-know matrix allows the recipient for the document, against the "
        "forms the flows ask for; coloured by the worst verdict of those flows.</p>",
        _matrix(chain),
        "<h2>Findings</h2>",
        _findings(chain),
        "<h2>Flows</h2>",
        _flows(chain),
        "<h2>Waivers</h2>",
        _waivers(chain),
    ]
    if report.errors:
        rows = [[_td(e.file), _td(e.line or ""), _td(e.message)] for e in report.errors]
        parts += ["<h2>Input errors (not checked)</h2>", _table("errors", ["file", "line", "problem"], rows, False)]
    parts += [
        "</main>",
        "<footer>Register of processing activities (AVG art. 30): register.csv and register.json beside this file. "
        "ketencheck evaluates every flow on Open Policy Agent; each finding cites the law it rests on.</footer>",
        f"<script>{_JS}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _matrix(chain: Chain) -> str:
    recipients = sorted({c.recipient for c in chain.cells})
    documents = sorted({c.document for c in chain.cells})
    by_key = {(c.recipient, c.document): c for c in chain.cells}
    rows = []
    for recipient in recipients:
        row = [_td(recipient)]
        for document in documents:
            cell = by_key.get((recipient, document))
            if cell is None:
                row.append(_td("", "cell-none"))
            else:
                text = f"allowed: {cell.allowed} · requested: {', '.join(cell.requested)}"
                row.append(_td(text, f"cell-{cell.status}"))
        rows.append(row)
    return _table("matrix", ["recipient", *documents], rows, filterable=False)


def _findings(chain: Chain) -> str:
    rows = []
    for result in chain.report.results:
        for f in result.findings:
            label = f"waived {f.severity.value}" if f.waiver else f.severity.value
            rows.append(
                [
                    _td(result.flow.id),
                    _td(f"{result.flow.file}:{result.flow.line}"),
                    _td(label, "waived" if f.waiver else f"sev-{f.severity.value}"),
                    _td(f.rule),
                    _td(f.message),
                    _td("; ".join(f.legal_refs)),
                    f"<td><pre>{escape(f.fix or '')}</pre></td>",
                ]
            )
    if not rows:
        return "<p>No findings.</p>"
    return _table("findings", ["flow", "where", "severity", "rule", "what", "law", "fix"], rows)


def _flows(chain: Chain) -> str:
    rows = []
    for result in chain.report.results:
        doc = result.flow.document
        categories = chain.categories(result)
        rows.append(
            [
                _td(result.flow.id),
                _td(doc.get("from")),
                _td(doc.get("to")),
                _td(doc.get("document")),
                _td(doc.get("form")),
                _td(doc.get("purpose")),
                _td(", ".join(categories)),
                _td(result.verdict.value, result.verdict.value),
            ]
        )
    headers = ["flow", "from", "to", "document", "form", "purpose", "data categories", "verdict"]
    return _table("flows", headers, rows)


def _waivers(chain: Chain) -> str:
    if not chain.report.waivers:
        return "<p>No waivers given.</p>"
    rows = [
        [
            _td(w.waiver.flow),
            _td(w.waiver.rule),
            _td(w.status.value, "waived" if w.severity is None else "warn"),
            _td(w.waiver.approver),
            _td(w.waiver.dpia),
            _td(w.waiver.expires.isoformat()),
            _td(w.waiver.justification),
        ]
        for w in chain.report.waivers
    ]
    return _table("waivers", ["flow", "rule", "status", "approver", "DPIA", "expires", "justification"], rows)
