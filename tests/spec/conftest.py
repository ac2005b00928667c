import sys
from pathlib import Path

# casekit (the spec case runner) is shared with tools/regen_golden.py.
sys.path.insert(0, str(Path(__file__).resolve().parent))
