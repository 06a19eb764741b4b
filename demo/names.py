"""The demo studio's fixed vocabulary: names, disciplines, deliverable types, copy.

Everything random in the demo is drawn from these lists with a seeded
generator, so one seed always gives the same studio.
"""

STUDIO_NAME = "Northlight Studio"
STUDIO_DOMAIN = "northlight.example"

FIRST_NAMES = (
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Elif",
    "Finn",
    "Grace",
    "Hugo",
    "Ines",
    "Jamal",
    "Kira",
    "Liam",
    "Mila",
    "Noah",
    "Olu",
    "Petra",
    "Quinn",
    "Rosa",
    "Sami",
    "Tess",
    "Umar",
    "Vera",
    "Wes",
    "Xena",
    "Yusuf",
    "Zoe",
    "Arjun",
    "Bea",
    "Cyrus",
    "Dina",
    "Emil",
    "Fatima",
    "Gus",
    "Hana",
    "Ivo",
    "Jade",
    "Kofi",
    "Lara",
    "Marek",
    "Nina",
    "Oscar",
    "Priya",
    "Rafael",
    "Sofia",
    "Tomas",
    "Una",
    "Viktor",
    "Wren",
    "Yara",
    "Zain",
)
LAST_NAMES = (
    "Adeyemi",
    "Bauer",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "Gallagher",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Osei",
    "Petrov",
    "Quinlan",
    "Rossi",
    "Sato",
    "Thorne",
    "Ueda",
    "Varga",
    "Whitlock",
    "Xu",
    "Yilmaz",
    "Zielinski",
    "Achebe",
    "Brennan",
    "Costa",
    "Delgado",
    "Ekström",
    "Fischer",
    "Grant",
    "Hoffmann",
    "Iqbal",
    "Jovanovic",
    "Kaur",
    "Laurent",
    "Mendes",
    "Novak",
)

# The named demo logins: (username, first name, last name).
NAMED_PEOPLE = {
    "admin": ("Alex", "Admin"),
    "pm": ("Maya", "Okafor"),
    "exec": ("Victor", "Hale"),
    "creative": ("Jonas", "Berg"),
    "freelancer": ("Lena", "Fischer"),
    "brand": ("Clara", "Mendes"),
}

# name, freelance bill rate, freelance cost rate, freelance hours/week the studio
# can source, staff and freelance head count per scale unit, staff (cost, bill) rate range.
DISCIPLINES = (
    ("Design", 115, 70, 80, 7, 3, (42, 58), (95, 125)),
    ("Motion", 130, 80, 60, 5, 2, (48, 64), (110, 140)),
    ("Video editing", 125, 75, 60, 5, 2, (45, 60), (105, 135)),
    ("Copywriting", 110, 65, 40, 4, 1, (40, 55), (95, 120)),
    ("3D", 140, 90, 40, 4, 1, (52, 70), (120, 150)),
    ("Art direction", 150, 95, 20, 5, 1, (60, 80), (130, 165)),
)

SKILLS = {
    "Design": ("Branding", "Typography", "Layout", "Illustration", "Packaging", "Figma"),
    "Motion": ("After Effects", "Kinetic type", "Character animation", "Lottie", "Compositing"),
    "Video editing": (
        "Premiere Pro",
        "DaVinci Resolve",
        "Colour grading",
        "Sound mix",
        "Offline edit",
    ),
    "Copywriting": ("Headlines", "Scriptwriting", "Tone of voice", "Long-form", "UX writing"),
    "3D": ("Blender", "Cinema 4D", "Product rendering", "Substance Painter", "Lighting"),
    "Art direction": (
        "Campaign concepts",
        "Photo direction",
        "Storyboarding",
        "Pitching",
        "Casting",
    ),
}

# name, unit, standard hours per unit by discipline, quantity range, is a concept piece.
DELIVERABLE_TYPES = (
    (
        "Campaign concept",
        "concept",
        {"Art direction": 16, "Copywriting": 8, "Design": 8},
        (1, 2),
        True,
    ),
    ("Copy deck", "deck", {"Copywriting": 14, "Art direction": 2}, (1, 2), True),
    ("Key visual", "visual", {"Art direction": 4, "Design": 14}, (1, 3), False),
    ("Banner set", "set", {"Design": 10, "Motion": 4}, (2, 6), False),
    ("Social asset pack", "pack", {"Design": 8, "Motion": 3, "Copywriting": 2}, (2, 5), False),
    ("30-second cut", "cut", {"Video editing": 28, "Motion": 10, "Copywriting": 3}, (1, 2), False),
    ("6-second cut-down", "cut-down", {"Video editing": 5, "Motion": 2}, (3, 8), False),
    ("3D product render", "render", {"3D": 18, "Art direction": 2}, (2, 6), False),
    ("Motion toolkit", "toolkit", {"Motion": 32, "Design": 8}, (1, 1), False),
    ("Packaging artwork", "SKU", {"Design": 12, "3D": 6, "Art direction": 2}, (2, 5), False),
)

# name, e-mail domain, brand names. Even-numbered clients have three brands and
# odd-numbered two, so each pair of clients brings five brands.
# Each brand with the prefix of its project codes (AUR-001, AUR-002, …).
CLIENTS = (
    ("Aurora Foods", "aurora-foods.example", (("Aurora Oats", "AUR"), ("Aurora Dairy", "AUD"), ("Crisp & Co", "CRC"))),
    ("Halden Mobility", "halden.example", (("Halden EV", "HEV"), ("Halden Bikes", "HBK"))),
    ("Meridian Beauty", "meridian.example", (("Meridian Skin", "MSK"), ("Meridian Hair", "MHR"), ("Lumen", "LUM"))),
    ("Kestrel Outdoor", "kestrel.example", (("Kestrel Trail", "KTR"), ("Kestrel Kids", "KKD"))),
    (
        "Blue Harbour Bank", "blueharbour.example",
        (("Blue Harbour", "BHB"), ("Harbour Junior", "HJR"), ("Anchor", "ANC")),
    ),
    ("Solstice Drinks", "solstice.example", (("Solstice Cola", "SCO"), ("Solstice Zero", "SZE"))),
    ("Verdant Home", "verdant.example", (("Verdant Living", "VLV"), ("Verdant Garden", "VGD"), ("Nook", "NOK"))),
    ("Pioneer Telecom", "pioneer.example", (("Pioneer Mobile", "PMO"), ("Pioneer Fibre", "PFI"))),
    ("Ember Games", "ember.example", (("Ember Arcade", "EAR"), ("Ember Studios", "EST"), ("Spark", "SPK"))),
    ("Northwind Travel", "northwind.example", (("Northwind Air", "NAI"), ("Northwind Stays", "NST"))),
)

CAMPAIGNS = (
    "Spring launch",
    "Summer campaign",
    "Holiday push",
    "Brand refresh",
    "Product drop",
    "Always-on social",
    "Retail toolkit",
    "Sponsorship",
    "Loyalty relaunch",
    "Festival activation",
    "Packaging refresh",
    "Recipe series",
    "Launch film",
    "App onboarding",
    "Store opening",
)
INTERNAL_PROJECTS = (
    "Studio showreel",
    "Pitch: new business",
    "Design system upkeep",
    "Website refresh",
)

HOLIDAY_NAMES = ("Studio away day", "Founders' day", "Community volunteering day", "Studio offsite")

REQUEST_TITLES = (
    "Winter range launch assets",
    "Store opening kit",
    "Podcast sponsorship reads",
    "Recipe video series",
    "Loyalty app screens",
    "Trade show stand graphics",
    "Summer OOH campaign",
    "Product photography retouch",
    "Anniversary film",
    "Always-on social, next quarter",
    "Packaging for the new flavour",
    "Sales deck refresh",
)
DECLINE_REASON = "Outside our capacity in the requested window; we suggested a later start instead."

EXPENSES = (
    ("Stock photography licence", "Picturebank"),
    ("Music licence", "Soundtrack Library"),
    ("Studio hire, one day", "Daylight Studios"),
    ("Print proofs", "Press & Proof"),
    ("Voice-over session", "VoxBooth"),
    ("Font licence", "Type Foundry"),
)

BRIEF_COPY = {
    "background": "{brand} wants {campaign_lower} to reach new customers and keep the regulars.",
    "objectives": "Raise awareness of the range; drive visits to the product pages.",
    "audience": "Urban 25-40 year olds who shop weekly and follow the brand on social.",
    "key_message": "Made the way you like it.",
    "mandatories": "Logo lock-up top right; legal line on every asset; brand colours only.",
    "tone": "Warm, confident, a little playful.",
    "references": "Last season's key visuals; the brand book v4.",
}
