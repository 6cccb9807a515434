"""``python -m survey_analysis.datasets --out data``: write the synthetic sample files."""
from __future__ import annotations

import sys

from ..errors import SurveyError


def main(argv=None) -> int:
    from ..cli import ChineseArgumentParser
    from . import DEFAULT_SEED, make_sample

    parser = ChineseArgumentParser(
        prog="python -m survey_analysis.datasets",
        description="生成合成样例数据（用人单位调查、毕业生跟踪调查、名单、真值文件）。全部为虚构数据。",
    )
    parser.add_argument("--out", default="data", help="输出文件夹（默认 data）")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）")
    parser.add_argument("--employers", type=int, default=600, help="用人单位有效样本数（默认 600）")
    parser.add_argument("--graduates", type=int, default=3000, help="2025 届毕业生有效样本数（默认 3000）")
    args = parser.parse_args(argv)
    try:
        paths = make_sample(args.out, seed=args.seed, n_employers=args.employers, n_graduates=args.graduates)
    except SurveyError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"已生成样例数据（种子 {args.seed}）：")
    for key, p in paths.items():
        print(f"  {key}: {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
