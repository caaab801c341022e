"""``python -m harness.bisect list|show|reset|stats`` (the same as ``kwb bisect list|…``)."""

from __future__ import annotations

import sys

from harness.bisect.admin import main

sys.exit(main())
