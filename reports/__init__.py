"""Reports: a few bulk queries into DataFrames, pure report functions, then exporters."""
