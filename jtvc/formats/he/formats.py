# Dates on the reader site, Hebrew: "30 בנובמבר 2026" (the month name with the prefix ב).
DATE_FORMAT = "j בF Y"
DATETIME_FORMAT = "j בF Y, H:i"
SHORT_DATE_FORMAT = "d.m.Y"
