"""Floor for the benchmark: a minimal Python script that reads files and scans 300 patterns.

Usage: ``python benchmarks/floor_scan.py FILE...`` — prints the number of matches.
It stands for the least any Python linter of this kind must do (start Python,
read the text, run a few hundred compiled patterns over it); djcheck's figures
are reported as ratios to it. Only the standard library is used.
"""

from __future__ import annotations

import re
import sys

# Text of my own; its distinct two-character pieces become the 300 patterns.
_VOCABULARY = (
    "全面从严治党主体责任监督责任第一责任人一岗双责两个责任四种形态三会一课主题党日民主生活会组织生活会"
    "对照检查批评与自我批评中央八项规定精神形式主义官僚主义享乐主义奢靡之风廉洁从政警示教育谈心谈话"
    "巡视巡察整改落实问题线索纪律处分诫勉谈话提醒谈话党风廉政建设意识形态工作责任制基层党组织标准化"
    "规范化建设党员教育管理发展党员党费收缴干部队伍作风建设专项整治群众身边不正之风腐败问题政治生态"
    "分析研判述责述廉报告下一步工作打算存在的问题原因分析整改措施牵头单位完成时限长效机制制度建设"
    "理论学习中心组学习习近平新时代中国特色社会主义思想党的二十大精神党章党规党纪学习教育主题教育"
    "政治监督日常监督专项监督精准监督廉政风险防控权力运行制约监督体系纪检监察工作高质量发展"
    "选人用人工作机制经费支出审计招投标工程项目公务接待公车使用违规收受礼品礼金酒驾醉驾赌博"
)


def patterns(count: int = 300) -> list[re.Pattern[str]]:
    """``count`` compiled patterns: distinct two-character pieces of the vocabulary."""
    seen: list[str] = []
    for i in range(len(_VOCABULARY) - 1):
        piece = _VOCABULARY[i : i + 2]
        if piece not in seen:
            seen.append(piece)
        if len(seen) == count:
            break
    return [re.compile(re.escape(p)) for p in seen]


def main(paths: list[str]) -> int:
    compiled = patterns()
    total = 0
    for path in paths:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            text = fh.read()
        for pat in compiled:
            total += len(pat.findall(text))
    print(total)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
