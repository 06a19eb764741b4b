"""Client-satisfaction surveys (DESIGN §3): sent to a brand's managers when its project is
delivered (and, if the studio asks for it, when a deliverable is approved), answered once
by an unguessable link, reminded once, and read by the PM."""
