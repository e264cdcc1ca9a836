"""What a run is made of: the parameter registry, scenario files, the indicators a run reports,
months and dates, indicator expressions, and the checks every input file goes through.

The bottom layer: it imports nothing else of :mod:`sim`.
"""
