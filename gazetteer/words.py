"""Word lists the geoparser uses to tell places from other capitalised words (our own lists)."""

from __future__ import annotations

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

# Words before a name that make the following capitalised run a person
TITLES = {
    "general", "gen", "colonel", "col", "lieutenant", "lt", "major", "maj", "captain", "capt", "commander",
    "president", "minister", "prime", "mr", "mrs", "ms", "dr", "sheikh", "shaikh", "mullah", "imam", "king",
    "queen", "prince", "sergeant", "sgt", "governor", "mayor", "senator", "sen", "rep", "secretary", "chief",
    "ambassador", "spokesman", "spokeswoman", "spokesperson", "pope", "judge", "justice",
    "professor", "prof", "brigadier", "admiral", "marshal", "director", "envoy", "dear",
}

FUNCTION_WORDS = {
    "the", "a", "an", "in", "on", "at", "of", "for", "and", "but", "or", "as", "by", "to", "from", "with",
    "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "his", "her", "their", "our",
    "there", "here", "when", "where", "while", "after", "before", "since", "during", "despite",
}

# Capitalised words that are almost never places in English news, though some are names in GeoNames
NOT_PLACES = {
    # function words and sentence starters
    "the", "a", "an", "in", "on", "at", "of", "for", "and", "but", "or", "as", "by", "to", "from", "with",
    "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you", "his", "her", "their",
    "our", "my", "there", "here", "when", "where", "while", "after", "before", "since", "during", "despite",
    "around", "about", "over", "under", "some", "many", "most", "more", "several", "all", "no", "not", "yes",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "hundreds", "thousands",
    "dozens", "also", "however", "meanwhile", "earlier", "later", "today", "yesterday", "tomorrow", "tonight",
    "last", "next", "new", "old", "said", "says", "according", "update", "updated", "breaking", "read", "more",
    "photo", "video", "image", "source", "sources", "report", "reports", "news", "live", "why", "what", "how",
    "who", "which", "if", "so", "then", "than", "such", "other", "another", "both", "each", "only", "just",
    "even", "still", "again", "once", "very", "much", "well", "good", "best", "great", "big", "small",
    "long", "high", "low", "early", "late", "north", "south", "east", "west", "northern", "southern",
    "eastern", "western", "central", "upper", "lower", "greater", "little", "saint",
    # institutions, roles and common capitalised nouns
    "government", "army", "police", "force", "forces", "air", "navy", "military", "ministry", "council",
    "security", "defence", "defense", "interior", "foreign", "affairs", "office", "agency", "committee",
    "commission", "court", "parliament", "assembly", "party", "front", "movement", "union", "alliance",
    "coalition", "brigade", "battalion", "division", "regiment", "corps", "guard", "guards", "command",
    "mission", "operation", "operations", "state", "province", "district",
    "region", "city", "town", "village", "capital", "county", "department", "governorate", "peace", "talks",
    "war", "fighting", "attack", "strike", "strikes", "red", "cross", "crescent", "relief", "aid", "health",
    "hospital", "university", "school", "church", "mosque", "bank", "world", "international", "national",
    "nations", "human", "rights", "watch", "amnesty", "doctors", "without", "borders", "crisis",
    "group", "monitor", "observatory", "centre", "center", "institute", "network", "press", "times", "post",
    "herald", "tribune", "journal", "daily", "agence", "associated", "reuters", "afp", "bbc", "cnn", "twitter",
    "facebook", "telegram", "whatsapp", "youtube", "google", "internet", "online", "media", "radio", "tv",
    "television", "god", "allah", "islam", "islamic", "muslim", "christian", "jewish", "arab", "kurdish",
    "covid", "corona", "coronavirus", "virus", "ebola", "cholera", "mr", "mrs", "ms", "president", "general",
    "colonel", "minister", "chief", "commander", "spokesman", "spokesperson", "governor",
    # armed groups and actors (names that collide with GeoNames alternates)
    "taliban", "houthi", "houthis", "hamas", "hezbollah", "hizbollah", "isis", "isil", "daesh", "shabaab",
    "boko", "haram", "wagner", "rsf", "saf", "sdf", "pkk", "ypg", "jnim", "adf", "fdlr", "codeco", "nato",
    "un", "eu", "au", "unhcr", "ocha", "iom", "unicef", "wfp", "who", "msf", "icrc", "acled", "usaid",
    *MONTHS, *DAYS,
}

# Words after a name that say what kind of unit it is
QUALIFIERS_ADMIN1 = {"province", "provinces", "governorate", "state", "region", "oblast", "prefecture", "department",
                     "county", "division", "emirate", "territory", "wilayat", "vilayet", "krai", "canton"}
QUALIFIERS_ADMIN2 = {"district", "districts", "raion", "rayon", "sub-district", "subdistrict", "municipality",
                     "commune", "locality", "lga", "woreda", "zone", "tehsil", "payam", "county"}
QUALIFIERS_PLACE = {"city", "town", "village", "camp", "settlement", "neighbourhood", "neighborhood", "suburb",
                    "market", "port"}

# Words that may join the parts of a multi-word name
CONNECTORS = {"al", "el", "an", "ar", "as", "ash", "ad", "at", "az", "de", "del", "della", "di", "da", "do", "dos",
              "du", "des", "la", "le", "les", "los", "las", "of", "e", "i", "y", "bin", "ibn", "bint", "ben",
              "sur", "am", "im", "upon", "-", "ul", "ur", "ud"}

# "Qatari capital Doha", "the Syrian town of ...": adjectives that give the country
DEMONYMS = {
    "afghan": "AF", "qatari": "QA", "syrian": "SY", "iraqi": "IQ", "iranian": "IR", "yemeni": "YE",
    "saudi": "SA", "emirati": "AE", "omani": "OM", "jordanian": "JO", "lebanese": "LB", "israeli": "IL",
    "palestinian": "PS", "egyptian": "EG", "libyan": "LY", "tunisian": "TN", "algerian": "DZ", "moroccan": "MA",
    "sudanese": "SD", "ethiopian": "ET", "eritrean": "ER", "somali": "SO", "kenyan": "KE", "ugandan": "UG",
    "rwandan": "RW", "burundian": "BI", "congolese": "CD", "nigerian": "NG", "nigerien": "NE", "malian": "ML",
    "burkinabe": "BF", "chadian": "TD", "cameroonian": "CM", "mozambican": "MZ", "ukrainian": "UA",
    "russian": "RU", "turkish": "TR", "pakistani": "PK", "indian": "IN", "bangladeshi": "BD", "burmese": "MM",
    "myanmar": "MM", "colombian": "CO", "mexican": "MX", "venezuelan": "VE", "haitian": "HT", "american": "US",
    "british": "GB", "french": "FR", "german": "DE", "chinese": "CN", "filipino": "PH", "philippine": "PH",
    "armenian": "AM", "azerbaijani": "AZ", "georgian": "GE", "south sudanese": "SS",
    "nepali": "NP", "sri lankan": "LK", "tajik": "TJ", "uzbek": "UZ", "kazakh": "KZ", "senegalese": "SN",
    "ghanaian": "GH", "ivorian": "CI", "guinean": "GN", "zimbabwean": "ZW", "tanzanian": "TZ",
}
