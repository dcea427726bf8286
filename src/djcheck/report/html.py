"""One self-contained HTML page (``--format html --output report.html``).

The page has no external assets and no script (a Content-Security-Policy of
``default-src 'none'`` forbids loading anything), so it works offline and can be
mailed around. For each file it shows the score and verdict, the checklist
(✔ / ⚠ / ✖ with message and advice, linking to the paragraph concerned), the
list of findings, and the draft itself, one numbered line per paragraph, with
every finding highlighted as ``<mark class="finding">``; hovering over a mark
or clicking it (it takes keyboard focus) shows the explanation.

Marks: the text is cut at every finding boundary, so overlapping findings
share marks. Each ``mark`` has ``data-findings`` (space-separated indices into
the file's findings), ``data-rule`` and ``data-msg`` (the explanations); the
marks of finding *i* together hold exactly its matched text. Every piece of
user text is escaped with :func:`html.escape`.

The draft text comes from the ``documents`` the caller passes (``{path:
Document}``, as read for the run); a file missing from them is shown with its
checklist and findings only.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import TextIO

from .. import __version__
from ..model import UNIT_CN, FileResult, Finding
from . import LEVEL_CN, STATUS_CN, STATUS_MARK
from .summary import rows

_CSS = """
:root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--ok:#2e7d32;--bg:#fafafa;--line:#e0e0e0}
*{box-sizing:border-box}
body{margin:0;font:16px/1.7 "Noto Sans CJK SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;
color:#212121;background:var(--bg)}
header{background:#8b0000;color:#fff;padding:12px 24px}
header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
section.file{background:#fff;border:1px solid var(--line);border-radius:6px;padding:16px 20px;margin:16px 0}
h2{font-size:18px;margin:0 0 8px;word-break:break-all}
h3{font-size:16px;margin:20px 0 8px}
.score{font-size:17px;font-weight:bold}
.score.pass{color:var(--ok)}.score.fail{color:var(--err)}
.note{color:#616161;font-size:14px;margin:4px 0}
.error{color:var(--err)}
table.checklist{border-collapse:collapse;width:100%}
details.findings{margin:16px 0}
details.findings summary{cursor:pointer;font-weight:bold}
td.where{white-space:nowrap}
table.checklist td,table.checklist th{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
.st{white-space:nowrap;font-weight:bold}
.st-ok{color:var(--ok)}.st-weak{color:var(--warn)}.st-missing{color:var(--err)}.st-unchecked{color:#757575}
.advice{color:#616161;font-size:14px}
ol.findings{padding-left:24px}
ol.findings li{margin:2px 0}
.lvl{font-size:13px;border-radius:3px;padding:0 4px;color:#fff}
.lvl-error{background:var(--err)}.lvl-warning{background:var(--warn)}.lvl-info{background:var(--info)}
.rule{color:#757575;font-family:monospace;font-size:13px}
.draft{border:1px solid var(--line);border-radius:4px;background:#fff;padding:8px 0}
.line{display:flex;margin:0;padding:2px 12px 2px 0}
.line:target,.line.anchored{background:#fff8e1}
.ln{flex:0 0 3.5em;text-align:right;padding-right:12px;color:#9e9e9e;user-select:none;font-size:13px}
.tx{flex:1;white-space:pre-wrap;word-break:break-all}
mark.finding{position:relative;background:#ffcdd2;color:inherit;border-bottom:2px solid var(--err);cursor:help;
padding:0 1px;border-radius:2px}
mark.finding.m-warning{background:#ffe0b2;border-bottom-color:var(--warn)}
mark.finding.m-info{background:#bbdefb;border-bottom-color:var(--info)}
mark.finding:hover::after,mark.finding:focus::after{content:attr(data-msg);position:fixed;left:50%;bottom:16px;
transform:translateX(-50%);z-index:10;width:max-content;max-width:min(40em,calc(100vw - 32px));max-height:40vh;
overflow:hidden;white-space:pre-line;background:#263238;color:#fff;font-size:14px;
line-height:1.5;padding:6px 10px;border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.3)}
table.summary{border-collapse:collapse;width:100%;background:#fff;margin:16px 0}
table.summary th,table.summary td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
table.summary th{background:#f5f5f5}
table.summary td.num{text-align:right;white-space:nowrap}
.v-pass{color:var(--ok);font-weight:bold}.v-fail,.v-error{color:var(--err);font-weight:bold}.v-other{color:#616161}
.why{color:#616161;font-size:13px;font-weight:normal}
mark.finding:focus{outline:2px solid #263238}
a{color:#1565c0}
footer{color:#9e9e9e;font-size:13px;text-align:center;padding:16px}
@media print{mark.finding::after{display:none}}
"""


def _spans(doc, findings: list[Finding]) -> dict[int, list[tuple[int, int, int]]]:
    """``{line: [(start_col0, end_col0, finding index)]}`` per paragraph, multi-line findings cut per line."""
    by_line: dict[int, list[tuple[int, int, int]]] = {}
    n_lines = len(doc.paragraphs)
    for i, f in enumerate(findings):
        if not (1 <= f.line <= n_lines and 1 <= f.end_line <= n_lines) or f.end_line < f.line:
            continue
        for line in range(f.line, f.end_line + 1):
            text = doc.paragraphs[line - 1].text
            start = f.col - 1 if line == f.line else 0
            end = f.end_col - 1 if line == f.end_line else len(text)
            start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
            if end > start:
                by_line.setdefault(line, []).append((start, end, i))
    return by_line


def _render_line(
    text: str, spans: list[tuple[int, int, int]], findings: list[Finding], fid: str, placed: set[int]
) -> str:
    """HTML of one paragraph with marks; ``placed`` collects findings whose anchor is already out."""
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [i for s, e, i in spans if s <= a and b <= e]
        piece = escape(text[a:b])
        if not covering:
            out.append(piece)
            continue
        for i in covering:
            if i not in placed:
                out.append(f'<a class="anchor" id="{fid}-f{i}"></a>')
                placed.add(i)
        levels = [findings[i].level for i in covering]
        level = "error" if "error" in levels else "warning" if "warning" in levels else "info"
        msg = "\n".join(
            f"【{LEVEL_CN.get(findings[i].level, findings[i].level)}】{findings[i].message}" for i in covering
        )
        rules = " ".join(dict.fromkeys(findings[i].rule for i in covering))
        out.append(
            f'<mark class="finding m-{level}" tabindex="0" data-findings="{" ".join(map(str, covering))}" '
            f'data-rule="{escape(rules)}" data-msg="{escape(msg)}" title="{escape(msg)}">{piece}</mark>'
        )
    return "".join(out)


def _file_section(n: int, res: FileResult, documents: Mapping | None) -> str:
    fid = f"file{n}"
    h = [f'<section class="file" id="{fid}">', f"<h2>{escape(res.path)}</h2>"]
    if res.error:
        h.append(f'<p class="error">✖ {escape(res.error)}</p></section>')
        return "\n".join(h)
    if not res.recognised:
        h.append(f'<p class="note">未识别为支持的报告类型，未评分。{escape(res.profile_reason or "")}</p>')
        if res.findings:  # text rules still run on any document (runner.HYGIENE_RULES)
            unit = "段" if res.location_unit == "paragraph" else "行"
            h.append('<p class="note">只检查了占位符、重复字词、错别字、提法和标点：</p><ol class="findings">')
            for f in res.findings:
                h.append(
                    f'<li>第{f.line}{unit}第{f.col}列 <span class="lvl lvl-{f.level}">{LEVEL_CN.get(f.level, f.level)}</span> '
                    f'<span class="rule">{escape(f.rule)}</span> {escape(f.message)}</li>'
                )
            h.append("</ol>")
        h.append("</section>")
        return "\n".join(h)
    unit = UNIT_CN.get(res.location_unit, "行")
    css = "pass" if res.passed else "fail"
    h.append(
        f'<p class="score {css}" data-score="{res.score:g}">得分 {res.score:g} / 100（合格线 {res.min_score:g}）'
        f"　{escape(res.verdict_text())}　［{escape(res.profile_title or res.profile or '')}］</p>"
    )
    if res.profile_reason:
        h.append(f'<p class="note">报告类型：{escape(res.profile_reason)}</p>')
    if res.year:
        h.append(
            f'<p class="note">报告年份：{res.year}{escape(f"（{res.year_reason}）" if res.year_reason else "")}</p>'
        )
    for note in res.notes:
        h.append(f'<p class="note">{escape(note)}</p>')
    h.append('<h3>检查清单</h3><table class="checklist"><tbody>')
    for item in res.checklist:
        where = f'<a href="#{fid}-L{item.line}">第{item.line}{unit}</a>' if item.line else ""
        advice = f'<div class="advice">建议：{escape(item.advice)}</div>' if item.advice else ""
        h.append(
            f'<tr class="item" data-id="{escape(item.id)}" data-status="{item.status}">'
            f'<td class="st st-{item.status}">{STATUS_MARK[item.status]} {STATUS_CN[item.status]}</td>'
            f'<td>{escape(item.title)}</td><td>{escape(item.message)}{advice}</td><td class="where">{where}</td></tr>'
        )
    h.append("</tbody></table>")
    if res.findings:
        is_open = " open" if len(res.findings) <= 10 else ""
        h.append(
            f'<details class="findings"{is_open}><summary>问题位置（{len(res.findings)} 处，点击展开）</summary>'
            '<ol class="findings">'
        )
        for i, f in enumerate(res.findings):
            h.append(
                f'<li><a href="#{fid}-f{i}">第{f.line}{unit}第{f.col}列</a> '
                f'<span class="lvl lvl-{f.level}">{LEVEL_CN.get(f.level, f.level)}</span> '
                f'<span class="rule">{escape(f.rule)}</span> {escape(f.message)}</li>'
            )
        h.append("</ol></details>")
    doc = (documents or {}).get(res.path)
    if doc is None:
        h.append('<p class="note">无法重新读取原文，未显示原文。</p></section>')
        return "\n".join(h)
    spans = _spans(doc, res.findings)
    anchored = {item.line for item in res.checklist if item.status != "ok" and item.line}
    h.append(f'<h3>原文（悬停或点击标出的文字查看说明；左侧数字为{unit}号）</h3><div class="draft">')
    placed: set[int] = set()
    for p in doc.paragraphs:
        cls = "line anchored" if p.line in anchored else "line"
        body = _render_line(p.text, spans.get(p.line, []), res.findings, fid, placed)
        h.append(
            f'<p class="{cls}" id="{fid}-L{p.line}"><span class="ln">{p.line}</span><span class="tx">{body}</span></p>'
        )
    h.append("</div></section>")
    return "\n".join(h)


_VERDICT_CSS = {"通过": "v-pass", "未通过": "v-fail", "无法读取": "v-error"}


def _summary_table(results: list[FileResult]) -> str:
    """The batch summary, worst first (:mod:`djcheck.report.summary`), each file linking to its section."""
    anchors = {res.path: f"file{n}" for n, res in enumerate(results, 1)}
    h = [
        '<section class="summary"><h2>检查汇总（问题最多的在前）</h2><table class="summary"><thead><tr>'
        "<th>文件</th><th>报告类型</th><th>得分</th><th>结论</th><th>缺失项</th><th>较弱项</th><th>问题处数</th>"
        "</tr></thead><tbody>"
    ]
    for row in rows(results):
        score = "" if row.score is None else f"{row.score:g}"
        why = f'<div class="why">{escape(row.note)}</div>' if row.note else ""
        verdict = f'<span class="{_VERDICT_CSS.get(row.verdict, "v-other")}">{escape(row.verdict)}</span>{why}'
        h.append(
            f'<tr class="summary-row"><td><a href="#{anchors[row.path]}">{escape(row.path)}</a></td>'
            f"<td>{escape(row.genre_short)}</td><td class=\"num\">{score}</td><td>{verdict}</td>"
            f"<td>{escape('、'.join(row.missing_short))}</td><td>{escape('、'.join(row.weak_short))}</td>"
            f'<td class="num">{row.findings if row.verdict in ("通过", "未通过") else ""}</td></tr>'
        )
    h.append("</tbody></table></section>")
    return "\n".join(h)


def render(results: list[FileResult], documents: Mapping | None = None) -> str:
    """The whole HTML page as a string (see the module docstring)."""
    passed = sum(1 for r in results if r.passed)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="djcheck ' + __version__ + '">',
        "<title>djcheck 检查报告</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<header><h1>djcheck 党建报告合规检查报告</h1><div>共 {len(results)} 个文件，{passed} 个通过</div></header>",
        "<main>",
    ]
    if len(results) > 1:
        parts.append(_summary_table(results))
    parts.extend(_file_section(n, res, documents) for n, res in enumerate(results, 1))
    parts.append(f"</main><footer>由 djcheck {escape(__version__)} 离线生成</footer></body></html>")
    return "\n".join(parts) + "\n"


def write(results: list[FileResult], stream: TextIO, *, documents: Mapping | None = None, **_options) -> None:
    """Write the page to ``stream``."""
    stream.write(render(results, documents))
