"""The word bank behind the demo content: written for this project, combined at random.

Nothing here is copied from anywhere; sentences are assembled from these parts.
"""

SECTIONS = [
    ("News", "news", "What happened today, checked and explained."),
    ("Opinion", "opinion", "Arguments from our writers and guests, clearly labelled."),
    ("Culture", "culture", "Books, stages, screens and the people behind them."),
    ("Science", "science", "Research, climate and technology, without the hype."),
    ("Business", "business", "Work, money and the companies that shape the region."),
    ("Sport", "sport", "Results, profiles and the stories behind the scores."),
]

STAFF = [
    (
        "Dana Levi",
        "Senior correspondent",
        "Covers city hall and the ports. Before journalism "
        "she worked as a harbour pilot, which explains the boats in most of her stories.",
    ),
    (
        "Yoav Mizrahi",
        "Science editor",
        "Writes about water, weather and the people who measure "
        "them. Holds a degree in hydrology and a grudge against press releases.",
    ),
    (
        "Rania Haddad",
        "Culture writer",
        "Reviews theatre and new fiction, and interviews the "
        "translators nobody else remembers to thank.",
    ),
    (
        "Tomer Azulay",
        "Business reporter",
        "Follows small firms, big tenders and the space "
        "between them. Reads annual reports for fun.",
    ),
    (
        "Shira Ben-David",
        "Sport writer",
        "Has covered four league seasons from the press box "
        "and one from the stands, which she says taught her more.",
    ),
    ("Eitan Golan", "News editor", "Runs the morning desk and decides what leads the site."),
]
GUEST = (
    "Miriam Oren",
    "Guest contributor",
    "A retired schoolteacher who writes occasional "
    "essays about the neighbourhood she has lived in for fifty years.",
)

SUBJECTS = [
    "The city council",
    "A group of fishermen",
    "Local teachers",
    "The water authority",
    "A small bakery",
    "Hospital nurses",
    "The new tram line",
    "Volunteer lifeguards",
    "A neighbourhood choir",
    "Night-shift drivers",
    "The regional museum",
    "Young engineers",
    "A family-run vineyard",
    "The port workers' union",
    "Community gardeners",
    "The public library",
    "A startup of five people",
    "The national orchestra",
    "High-school debaters",
    "The coastal patrol",
    "Market traders",
    "A rural clinic",
    "The youth football club",
    "Independent booksellers",
    "Solar installers",
]
ACTIONS = [
    "wins a long fight over",
    "rethinks its plans for",
    "opens its doors to",
    "asks hard questions about",
    "finds a new use for",
    "prepares for a winter of",
    "quietly changes",
    "bets its future on",
    "reports surprising results on",
    "says goodbye to",
    "rebuilds after",
    "turns a profit from",
    "takes a stand on",
]
OBJECTS = [
    "the old harbour",
    "rising rents",
    "clean drinking water",
    "late-night buses",
    "the southern beaches",
    "a forgotten archive",
    "public squares",
    "summer heat",
    "a disputed budget",
    "empty shop fronts",
    "bicycle lanes",
    "the first rain of the year",
    "street trees",
    "a century-old school",
    "night markets",
    "recycled glass",
    "the municipal pool",
    "cheaper electricity",
    "open-air cinema",
    "a new bridge",
]
DEK_OPENERS = [
    "Residents say the change was overdue.",
    "Not everyone is convinced it will last.",
    "The numbers tell a more complicated story.",
    "It took three years and two court cases.",
    "Supporters call it a model for other towns.",
    "Critics warn about the cost.",
    "What started as a small experiment is now policy.",
    "Here is what it means for you.",
]
SENTENCE_STARTS = [
    "On a grey morning this week",
    "According to figures released on Monday",
    "For most of the people we spoke to",
    "In a crowded meeting hall",
    "Behind the headlines",
    "Since the plan was first announced",
    "By early afternoon",
    "Over the past decade",
    "In the narrow streets near the market",
    "At the heart of the dispute",
]
SENTENCE_MIDDLES = [
    "the mood was cautiously hopeful",
    "officials admitted the timetable had slipped",
    "volunteers counted more visitors than ever before",
    "the budget was cut by a fifth",
    "nobody could agree on who should pay",
    "a handful of families made the difference",
    "the old rules were finally rewritten",
    "the results surprised even the organisers",
    "the queue stretched around the block",
    "the debate grew louder than expected",
    "engineers found the problem in a single valve",
    "the council voted eleven to four",
]
SENTENCE_ENDS = [
    "and the next step is due in the spring.",
    "though the details remain unclear.",
    "which few people expected a year ago.",
    "and the work continues through the night.",
    "while the neighbours watched from their balconies.",
    "and a review is promised in June.",
    "so the question now is who goes next.",
    "but the money has not yet arrived.",
]
QUOTES = [
    "We did not ask for much, only to be heard.",
    "It is slower than we wanted, but it is real.",
    "Every summer we said next year. This time we meant it.",
    "People forget that a city is mostly its small decisions.",
    "I have never seen the square this full on a weekday.",
    "The water is cleaner than it was when I was a boy.",
]
SPEAKERS = [
    "a retired fisherman",
    "the head of the residents' committee",
    "a nurse on the night shift",
    "the project's lead engineer",
    "a shop owner on the main street",
    "a second-year student",
]
SUBHEADS = ["What changes now", "The cost", "Who decides", "What comes next", "A long road"]

TAGS = [
    "harbour",
    "housing",
    "water",
    "transport",
    "climate",
    "education",
    "health",
    "budget",
    "elections",
    "courts",
    "theatre",
    "books",
    "music",
    "film",
    "museums",
    "football",
    "basketball",
    "cycling",
    "swimming",
    "startups",
    "energy",
    "solar",
    "agriculture",
    "wine",
    "food",
    "markets",
    "tourism",
    "beaches",
    "parks",
    "trees",
    "libraries",
    "schools",
    "universities",
    "research",
    "technology",
    "labour",
    "unions",
    "rent",
    "tram",
    "buses",
    "bridges",
    "heritage",
    "archives",
    "photography",
    "festivals",
    "summer",
    "winter",
    "rain",
    "heat",
    "fishing",
    "ports",
    "volunteers",
    "neighbourhoods",
    "city council",
    "openness",
    "science",
    "translation",
    "interviews",
    "data",
    "explainers",
    "essays",
]

ABOUT_BLURB = (
    "JTVC is an independent news magazine founded in 2021. We report on the city and the "
    "region in Hebrew and English, check what we publish, and correct it in the open when we "
    "get something wrong."
)
ABOUT_BODY = (
    "<p>JTVC began in 2021 as a newsletter written at a kitchen table. It is now a small "
    "newsroom of reporters, editors and regular guest contributors.</p>"
    "<h2>What we cover</h2><p>City politics, the ports and the coast, science and climate, "
    "culture and sport: the things that shape daily life here.</p>"
    "<h2>How we work</h2><ul><li>Every story is read by an editor before it is published.</li>"
    "<li>Corrections are dated and shown under the article.</li>"
    "<li>Opinion is labelled as opinion.</li></ul>"
    '<h2>Contact</h2><p>Write to <a href="mailto:newsroom@example.org">'
    "newsroom@example.org</a>.</p>"
)
TWEET_EN = {
    "tweet_id": "1790000000000000101",
    "handle": "jtvc_news",
    "author_name": "JTVC News",
    "language": "en",
    "text": "The harbour lamps are back on tonight for the first time in ten years. "
    "Photos from the seafront in our story.",
}
TWEET_HE = {
    "tweet_id": "1790000000000000102",
    "handle": "jtvc_he",
    "author_name": "JTVC בעברית",
    "language": "he",
    "text": "הפנסים בנמל דולקים שוב הערב, לראשונה מזה עשר שנים. התמונות מהטיילת בכתבה שלנו.",
}
