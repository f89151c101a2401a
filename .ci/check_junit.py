"""Fail unless the JUnit report shows passing tests, browser tests among them."""

import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()  # noqa: S314 - our own test report
cases = root.iter("testcase")
ran = e2e = 0
for case in cases:
    skipped = case.find("skipped") is not None
    if skipped:
        continue
    ran += 1
    if ".e2e." in (case.get("classname") or ""):
        e2e += 1
print(f"{sys.argv[1]}: {ran} tests ran, {e2e} of them in the browser")
if ran == 0 or e2e == 0:
    sys.exit("browser tests did not run")
