import sys
from pathlib import Path

# hostile_kit (the case runner) is imported by the tests beside it.
sys.path.insert(0, str(Path(__file__).resolve().parent))
