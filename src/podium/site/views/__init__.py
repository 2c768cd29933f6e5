"""The public site: the event's pages, the released program (schedule, talks, speakers, releases) and stars.

Every program page reads the latest release, never the draft, so the site, the exports and the feeds
of one release always agree.
"""
