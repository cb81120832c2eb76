# Dates on the reader site, English: day, month name, year (a newspaper's style).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i T"
SHORT_DATE_FORMAT = "j M Y"
