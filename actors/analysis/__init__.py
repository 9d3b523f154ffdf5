"""The analysis section: timelines, map, comparison, changes, network and exports."""
