"""What the timeline's browser tests do with a bar."""


def drag_by_days(page, bar, days):
    """Press on the bar (away from its right end) and drag it `days` days along."""
    box = bar.bounding_box()
    day = page.evaluate(
        "(el) => el.parentElement.getBoundingClientRect().width / parseInt(el.closest('.timeline').dataset.days, 10)",
        bar.element_handle(),
    )
    x, y = box["x"] + 6, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + day * days / 2, y, steps=4)
    page.mouse.move(x + day * days, y, steps=4)
    page.mouse.up()
