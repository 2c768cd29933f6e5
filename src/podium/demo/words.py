"""Word lists for the demo conference. Every name, company and city here is made up or generic.

Long lists are written one item per line (or space-separated for single words) and split on load,
so they stay easy to read and edit.
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Lines of `topic: area`."""
    return tuple(tuple(part.strip() for part in line.split(":", 1)) for line in _lines(text))


FIRST_NAMES = _words("""
    Aaliyah Abel Adaeze Aiko Alejandro Amara Anders Anika Arjun Beatriz Bongani Camille Carmen Chidi
    Chloé Dalia Dmitri Elif Emeka Esther Farah Felipe Freya Gabriel Grace Hana Hugo Ifeoma Imani Ines
    Ivan Jae-won Jamal Joanna Jonas Kai Kavya Keanu Kofi Leilani Lucas Luz Malik Mariam Mateo Maya Mei
    Nadia Naveen Nia Noor Olga Omar Paulo Priyanka Quinn Rafael Rania Rosa Ruth Saanvi Santiago Sven
    Tamar Tariq Thandiwe Tomás Valentina Wen Yara Yusuf Zainab Zoe
""")

LAST_NAMES = _words("""
    Abara Alvarez Andersson Bauer Bello Castillo Chen Costa Dang Delgado Dubois Eze Fernandes Fischer
    Gallagher Garcia Gupta Haddad Hansen Hoang Ibrahim Ivanova Jensen Kamau Kaur Kim Kowalski Larsen
    Lindqvist Mahlangu Markovic Mbeki Mendoza Moreau Nakamura Novak Nwosu Okonkwo Olsen Ortiz Park
    Petrov Quispe Rahman Reyes Rossi Sato Schmidt Silva Singh Sokolov Suzuki Tanaka Torres Tran Umarov
    Varga Vasquez Wagner Walker Wang Yamamoto Yilmaz Zhang Zielinski
""")

COMPANIES = _lines("""
    Bluebonnet Analytics
    Riverbend Software
    Prairie Cloud
    Lakeside Robotics
    Northfield Health
    Cedar Grove Labs
    Harbourline Data
    Mesa Instruments
    Quarry Systems
    Juniper Street Bank
    Tidepool Energy
    Open Lattice
    Copperline Logistics
    Foxglove Media
    Granite Peak Insurance
    Kestrel Games
    Larkspur Research
    Maple Leaf Transit
    Pinecone Security
    Saguaro Genomics
    a public research university
    a city government
    a national weather service
    a small consultancy
""")

ROLES = _lines("""
    software engineer
    senior software engineer
    staff engineer
    data scientist
    data engineer
    machine learning engineer
    developer advocate
    research software engineer
    engineering manager
    site reliability engineer
    core developer
    open source maintainer
    instructor
    PhD student
    technical writer
    platform engineer
""")

CITIES = _lines("""
    Chicago
    Austin
    Pittsburgh
    Portland
    Toronto
    Mexico City
    Berlin
    Lagos
    Bangalore
    São Paulo
    Denver
    Salt Lake City
    Montréal
    Nairobi
    Seoul
    Houston
    Lisbon
    Manila
    Cape Town
    Melbourne
    Dublin
    Atlanta
    Minneapolis
    Bogotá
""")

HOBBIES = _lines("""
    bakes sourdough bread
    plays in a brass band
    runs trail marathons
    builds mechanical keyboards
    grows chillies on a balcony
    restores old bicycles
    organises a local Python meetup
    birdwatches on weekends
    knits while waiting for test suites
    plays competitive Go
    teaches kids to code at the library
    brews cold coffee
    collects vintage synthesisers
    climbs indoors and out
    volunteers at an animal shelter
""")

# Topics per track, each with the area it belongs to (used in the abstracts).
TRACK_TOPICS = {
    "Web": _pairs("""
        Django: web development
        FastAPI: API design
        htmx: front-end work
        WebSockets: real-time web apps
        ASGI: web servers
        async views: web development
        REST APIs: API design
        server-rendered HTML: front-end work
        authentication: web security
        background jobs: web back ends
        web accessibility: front-end work
        HTTP caching: web performance
        Flask: web development
        OpenAPI: API design
        rate limiting: web security
        Content-Security-Policy: web security
        full-text search: web back ends
        WebAssembly: Python in the browser
        database migrations: web back ends
        multi-tenant apps: software architecture
    """),
    "Data & ML": _pairs("""
        pandas: data analysis
        Polars: data analysis
        DuckDB: analytics
        Jupyter notebooks: scientific computing
        NumPy: scientific computing
        scikit-learn: machine learning
        PyTorch: deep learning
        data pipelines: data engineering
        Apache Arrow: data engineering
        vector search: machine learning
        time series: forecasting
        geospatial data: mapping
        LLM evaluation: machine learning
        model monitoring: MLOps
        data validation: data engineering
        Dask: parallel computing
        reproducible research: science
        small language models: machine learning
        dataframes: data analysis
        synthetic data: privacy
    """),
    "Core Python": _pairs("""
        the GIL: CPython internals
        free-threaded Python: concurrency
        type hints: code quality
        pattern matching: the language
        asyncio: concurrency
        descriptors: the language
        the import system: CPython internals
        packaging: the ecosystem
        pyproject.toml: the ecosystem
        virtual environments: the ecosystem
        C extensions: performance
        Rust extensions: performance
        memory profiling: performance
        the garbage collector: CPython internals
        dataclasses: the language
        generators: the language
        the bytecode interpreter: CPython internals
        subinterpreters: concurrency
        decorators: the language
        context managers: the language
        error messages: developer experience
        the standard library: the language
        property-based testing: testing
        pytest fixtures: testing
    """),
    "Community": _pairs("""
        mentoring: community building
        open source maintenance: open source
        inclusive meetups: community building
        documentation: open source
        first-time contributors: open source
        conference organising: community building
        burnout: sustainability
        teaching Python: education
        code review: team work
        project governance: open source
        career changes: careers
        development sprints: open source
        translations: internationalisation
        funding open source: sustainability
        remote teams: team work
        technical interviews: careers
    """),
}

TITLE_PATTERNS = (
    "{Topic} in practice",
    "{Topic}: a practical tour",
    "{Topic} without the headaches",
    "Untangling {topic}",
    "Beyond the basics of {topic}",
    "What every Pythonista should know about {topic}",
    "Lessons from five years of {topic}",
    "The hidden cost of {topic}",
    "How we scaled {topic} at {company}",
    "{Topic} for the rest of us",
    "Ten things I wish I had known about {topic}",
    "Demystifying {topic}",
    "{Topic}, the boring way",
    "Rethinking {topic}",
    "Fast and correct: {topic} in production",
    "When {topic} goes wrong",
    "A field guide to {topic}",
    "{Topic} from first principles",
    "Small steps with {topic}",
    "Debugging {topic} like a detective",
)

TUTORIAL_PATTERNS = (
    "Hands-on {topic}",
    "A gentle introduction to {topic}",
    "{Topic} workshop: from zero to production",
    "Build it yourself: {topic}",
    "{Topic} bootcamp",
)

KEYNOTES = (
    ("The next thirty years of Python", "Community"),
    ("Everyone is a maintainer now", "Community"),
    ("Faster, together: the road to a free-threaded CPython", "Core Python"),
)

OPENINGS = (
    "{Topic} has become part of everyday {area}, yet most of us learned it by trial and error.",
    "Few parts of {area} cause as many late-night pages as {topic}.",
    "If you have ever wondered why {topic} behaves the way it does, this session is for you.",
    "{Topic} looks simple from the outside, but the details matter once real users arrive.",
    "Teams adopting {topic} often hit the same walls in the same order.",
    "The Python ecosystem around {topic} has changed a lot in the last two years.",
)

MIDDLES = (
    "We will walk through a real code base and refactor it step by step, explaining each decision.",
    "Drawing on experience at {company}, I will show what worked, what failed and what we measured.",
    "We start from the mental model, then move to patterns, pitfalls and the tools that help.",
    "Along the way we compare three approaches and look at their trade-offs with benchmarks.",
    "You will see live examples, a few war stories and the checklists we now use before every release.",
    "The session covers the concepts first and then applies them to a small but complete project.",
)

CLOSINGS = (
    "You will leave with a clear plan you can apply on Monday morning.",
    "Attendees will take home working examples and a reading list.",
    "No prior experience with {topic} is needed; curiosity is enough.",
    "Expect practical advice rather than theory, and time for questions.",
    "By the end you will know when {topic} is the right tool, and when it is not.",
)

REVIEW_COMMENTS = {
    0: (
        "The abstract does not say what attendees will learn.",
        "Reads like a product pitch; not a fit for the program.",
        "Too close to last year's talk on the same subject.",
    ),
    1: (
        "Interesting subject, but the outline is thin for the slot.",
        "I would like to see a clearer audience and takeaway.",
        "Feels more like a lightning talk than a full session.",
        "Overlaps with two other proposals on this topic.",
    ),
    2: (
        "Solid proposal with a clear outline.",
        "Good fit for the track; the speaker knows the subject well.",
        "Useful for intermediate attendees. Timing looks realistic.",
        "Nice mix of concepts and practice.",
    ),
    3: (
        "Must have: this is exactly what our attendees ask for every year.",
        "Excellent outline, strong speaker, fills a gap in the program.",
        "One of the best proposals this year.",
    ),
}

ORGANISER_NOTES = (
    "Happy to adapt the length if the schedule needs it.",
    "I can also run this as an open space.",
    "First time speaking at a conference; I would appreciate a mentor.",
    "I need to leave on the evening of the last day.",
    "",
    "",
    "",
)

# Attendees' names: the speakers' lists and some more, with the accents and apostrophes real attendee
# lists have (all in Windows-1252, so they read the same in every font and terminal).
ATTENDEE_FIRST_NAMES = FIRST_NAMES + _words("""
    Siobhán Zoë José Renée Björn Seán Maëlle Ángel Søren Anaïs François Jürgen Åsa Inês Núria Dónal
    Aoife Niamh Ciarán Brigitte Ólafur Chiara Dagný Noémie Joaquín
""")
ATTENDEE_LAST_NAMES = LAST_NAMES + _words("""
    O'Brien O'Connor O'Neill D'Souza D'Angelo Núñez Müller Søndergaard Ibáñez Gonçalves Lefèvre
    Åberg Jørgensen Peña Mäkinen Brontë Rühl
""")

# Where students study (made up).
SCHOOLS = _lines("""
    Prairie State University
    Lakeshore Community College
    Riverside Institute of Technology
    Northwood University
    Bluff City College
    Great Plains University
""")
T_SHIRT_SIZES = ("XS", "S", "M", "L", "XL", "2XL", "3XL", "No t-shirt, thanks")
T_SHIRT_WEIGHTS = (4, 14, 26, 25, 15, 7, 3, 6)
DIETS = (
    "Vegetarian",
    "Vegan",
    "Gluten-free",
    "Halal",
    "Kosher",
    "Pescatarian",
    "Lactose-free",
    "No nuts (severe allergy)",
    "Vegetarian, no mushrooms please",
)
ACCESSIBILITY_NEEDS = (
    "I use a wheelchair: step-free seating near the aisle, please.",
    "Live captions for the keynotes.",
    "Access to the quiet room.",
    "A reserved seat near the front (low vision).",
    "ASL interpretation for the talks I attend.",
)
