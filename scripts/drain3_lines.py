#!/usr/bin/env python3
"""Times Drain3 on a file of log lines, one message per line: the baseline
that `cluster_lines --bench` is compared with (README, Performance).

    pip install drain3==0.9.11
    python3 scripts/drain3_lines.py /tmp/lines.txt            # Drain3's defaults
    python3 scripts/drain3_lines.py --masking /tmp/lines.txt  # with masking

Drain3's defaults mask nothing; `--masking` adds the masking instructions of
Drain3's own example configuration (examples/drain3.ini in its repository:
ids, IPv4, hex sequences, hex and decimal numbers), which is closer to what
`cluster_lines` does (it masks values first). Prints lines per second of
mining alone (reading and splitting are timed apart), and the CPU time.
"""

import argparse
import logging
import time

from drain3 import TemplateMiner
from drain3.masking import MaskingInstruction
from drain3.template_miner_config import TemplateMinerConfig

# Drain3's examples/drain3.ini, [MASKING] (the `executed cmd` rule left out:
# it is specific to that example's log).
EXAMPLE_MASKING = [
    (r"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", "ID"),
    (r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "IP"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "HEX"),
    (r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lines", help="a file of log lines, one message per line")
    parser.add_argument("--masking", action="store_true", help="use Drain3's example masking")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)

    started = time.perf_counter()
    with open(args.lines, encoding="utf-8", errors="replace") as file:
        lines = file.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    read_seconds = time.perf_counter() - started

    config = TemplateMinerConfig()
    config.profiling_enabled = False
    if args.masking:
        config.masking_instructions = [MaskingInstruction(p, name) for p, name in EXAMPLE_MASKING]
    miner = TemplateMiner(config=config)
    wall, cpu = time.perf_counter(), time.process_time()
    for line in lines:
        miner.add_log_message(line)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

    label = "example masking" if args.masking else "defaults"
    print(
        f"drain3 ({label}): {len(lines)} lines, read+split {read_seconds:.2f} s; "
        f"mining {wall:.2f} s wall, {cpu:.2f} s CPU = {len(lines) / wall / 1e3:.0f} k lines/s; "
        f"{len(miner.drain.clusters)} clusters"
    )


if __name__ == "__main__":
    main()
