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


# --- Hebrew and mixed-language demo (our own writing) -------------------------------------

HEBREW_SECTION = (
    "בעברית",
    "hebrew",
    "כתבות שנכתבו בעברית: חדשות מהעיר, מהחוף ומהשכונות.",
)
HEBREW_AUTHOR = (
    "רותם בן־דוד",
    "rotem-ben-david",
    "כתבת עירונית",
    "מסקרת את העירייה ואת השכונות שלאורך החוף. כותבת בעברית ובאנגלית.",
)
HEBREW_TAGS = ["שכונות", "תרבות"]

# slug, title, standfirst, body, lead image caption, tags, hours ago, translation of (slug)
HEBREW_ARTICLES = [
    {
        "slug": "פנסי-הנמל-חזרו-לדלוק",
        "title": "פנסי הנמל חזרו לדלוק אחרי עשר שנות חושך",
        "dek": "תושבי השכונה שליד המזח התאספו בערב כדי לראות את האורות נדלקים, אחרי עשור "
        "שבו הטיילת עמדה בחושך.",
        "body": (
            "<p>קצת אחרי השקיעה, כשהרוח מהים עוד הייתה חמימה, הודלקו בבת אחת שלושים ושניים "
            "פנסים לאורך הטיילת הישנה. עשרות תושבים, חלקם עם ילדים על הכתפיים, מחאו כפיים.</p>"
            "<p>הפנסים כבו לפני עשר שנים, אחרי סערת חורף שהציפה את ארון החשמל של הנמל. "
            "העירייה הבטיחה לתקן, אבל התיקון נדחה שוב ושוב בגלל ויכוח על התקציב.</p>"
            '<blockquote><p>"חיכינו לזה הרבה זמן. עכשיו אפשר שוב לטייל כאן בלילה בלי פנס '
            'ביד", אמרה רותי אברהם, שגרה ברחוב הדייגים כבר ארבעים שנה.</p></blockquote>'
            "{tweet_he}"
            "<h2>מה השתנה</h2>"
            "<p>הפנסים החדשים חסכוניים יותר, והם מכוונים כלפי מטה כדי לא להפריע לצבי הים "
            'שמטילים ביצים בחוף בקיץ. לדברי מהנדס העיר, העבודה עלתה כ־1.2 מיליון ש"ח.</p>'
            "<p>ועד השכונה מתכנן לקיים בחודש הבא ערב מוזיקה על המזח, הראשון מאז שהאורות "
            "כבו.</p>"
        ),
        "caption": "איור להדגמה: הטיילת בשעת ערב, כשהפנסים דולקים שוב.",
        "tags": ["שכונות"],
        "hours_ago": 3,
        "translation_of": "harbour-lamps-shine-again-after-ten-dark-years-1",
    },
    {
        "slug": "פינת-קריאה-בשתי-שפות",
        "title": "הספרייה העירונית פותחת פינת קריאה בשתי שפות",
        "dek": "מדפים חדשים בעברית ובאנגלית, שעת סיפור לילדים בימי שישי ומתנדבים שעוזרים "
        "לעולים חדשים למצוא את הספר הנכון.",
        "body": (
            "<p>בקומת הכניסה של הספרייה העירונית נפתחה השבוע פינת קריאה חדשה, ובה כאלף "
            "ומאתיים ספרים בעברית ובאנגלית. הרעיון נולד אצל קבוצת מתנדבות שמלמדות עברית "
            "בשכונה.</p>"
            '<p>"הרבה הורים שאלו אותנו איפה אפשר למצוא ספרי ילדים בשתי השפות", סיפרה '
            'מנהלת הספרייה, מיכל שרון. "החלטנו שאין סיבה לחכות".</p>'
            "<p>בימי שישי בעשר בבוקר תתקיים שעת סיפור, פעם בעברית ופעם באנגלית. ההשתתפות "
            "חינם, ואין צורך להירשם מראש.</p>"
            "<h2>איך מצטרפים</h2>"
            "<p>מי שרוצה לתרום ספרים מתבקש להביא אותם לדלפק ההשאלה. ספרים במצב טוב יוצבו על "
            "המדפים, והשאר יימכרו ביריד הספרים של האביב.</p>"
        ),
        "caption": "איור להדגמה: מדפי הספרים החדשים בקומת הכניסה.",
        "tags": ["תרבות"],
        "hours_ago": 26,
        "translation_of": None,
    },
    {
        "slug": "שוק-האיכרים-עובר-לכיכר",
        "title": "שוק האיכרים עובר לכיכר החדשה",
        "dek": "אחרי שנתיים בחניון ליד התחנה, הדוכנים עוברים למרכז העיר. הסוחרים מרוצים, "
        "חלק מהשכנים פחות.",
        "body": (
            "<p>החל מיום שלישי הבא, שוק האיכרים השבועי ייפתח בכיכר החדשה שמול בניין העירייה. "
            "בעירייה אומרים שהמעבר יאפשר להוסיף עשרים דוכנים ולהאריך את שעות הפעילות עד "
            "שמונה בערב.</p>"
            "<p>לא כולם שמחים. כמה מתושבי הרחובות הסמוכים חוששים מרעש וממחסור בחניה, ופנו "
            "לוועדת התנועה בבקשה לסגור את הרחוב לרכב בזמן השוק.</p>"
            '<blockquote><p>"אנחנו בעד השוק, רק רוצים שיחשבו גם על מי שגר כאן", אמר יוסי '
            'מזרחי, יו"ר ועד הבית ברחוב הגפן.</p></blockquote>'
            "<p>הדיון בוועדה ייערך ביום רביעי בשש בערב, והוא פתוח לציבור.</p>"
        ),
        "caption": "איור להדגמה: דוכני ירקות ופירות מלמעלה.",
        "tags": ["שכונות"],
        "hours_ago": 50,
        "translation_of": None,
    },
]

# An English story that quotes Hebrew: names, a street, a quotation, numbers in both.
MIXED_ARTICLE = {
    "slug": "on-hagefen-street-the-signs-speak-two-languages",
    "title": "On HaGefen Street, the new signs speak two languages",
    "dek": "The council wants every street sign in Hebrew and English. Residents of רחוב הגפן "
    "have opinions about the spelling.",
    "body": (
        "<p>When council workers bolted a new sign to the corner of HaGefen Street last week, "
        "it read רחוב הגפן on top and “HaGefen St.” underneath. By the next morning someone "
        "had added a sticker with a third spelling.</p>"
        "<p>Yossi Mizrahi (יוסי מזרחי), who chairs the residents' committee, says the "
        "argument is about more than letters. Number 14, where he has lived for 31 years, "
        "appears in the city's records as “14 Hagefen”, “14 Ha-Gefen” and “הגפן 14”.</p>"
        "<blockquote><p>״השלט צריך לעזור לאנשים למצוא את הדרך, לא לבלבל אותם.״</p>"
        "</blockquote>"
        "<p>“The sign should help people find their way, not confuse them,” he said in "
        "Hebrew, and then once more in English for our reporter.</p>"
        "<h2>What the council says</h2>"
        "<p>A council spokesperson said the English spellings follow the national "
        "transliteration rules, and that residents may comment until the end of the month. "
        "The committee has already collected 212 signatures.</p>"
    ),
    "caption": "Demo illustration: the corner of HaGefen Street (רחוב הגפן) at noon.",
    "tags": ["שכונות"],
    "hours_ago": 5,
}
