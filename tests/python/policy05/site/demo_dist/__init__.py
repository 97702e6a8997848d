"""An installed distribution for the differential test."""
