"""lesson_keys.js in chromium, mounted by hand as Streamlit mounts it: every press is counted and
sent as state; presses while the lesson page loads (the listener is there, the component not yet
mounted) are sent once it is; presses on another page are not the lesson's."""

from ui.static_files import read

ORIGIN = "http://lesson.test"
PAGE = "<!doctype html><body><main></main></body>"


def open_keys(browser):
    """A page at …/lesson that has imported lesson_keys.js as window.mountKeys, and a record of
    the states it sends (window.sent)."""
    page = browser.new_page()
    page.route(f"{ORIGIN}/**", lambda route: route.fulfill(body=PAGE, content_type="text/html"))
    page.goto(f"{ORIGIN}/lesson")
    page.evaluate(
        """async source => {
        const module = await import(URL.createObjectURL(new Blob([source], {type: "text/javascript"})));
        window.sent = [];
        window.mountKeys = () => {
          const root = document.querySelector("main").appendChild(document.createElement("span"));
          module.default({parentElement: root, setStateValue: (name, value) => window.sent.push([name, value])});
          return root;
        };
      }""",
        read("lesson_keys.js"),
    )
    return page


def sent(page):
    return [value for name, value in page.evaluate("window.sent") if name == "moves"]


def test_presses_while_the_lesson_loads_are_sent_on_mount_and_other_pages_keys_are_not_the_lesson_s(browser):
    page = open_keys(browser)
    page.evaluate("window.mountKeys()")
    page.keyboard.press("PageDown")
    page.keyboard.press("ArrowLeft")
    states = sent(page)
    assert [(s["count"], s["recent"]) for s in states] == [(1, [1]), (2, [1, -1])]
    tab = states[-1]["tab"]
    # the page is switched away from and back: the old root leaves, the new one is not mounted yet
    page.evaluate("document.querySelector('main').replaceChildren()")
    page.keyboard.press("PageDown")
    page.keyboard.press("ArrowRight")
    assert len(sent(page)) == 2  # no component to hear them yet: kept
    page.evaluate("window.mountKeys()")
    last = sent(page)[-1]
    assert (last["tab"], last["count"], last["recent"]) == (tab, 4, [1, -1, 1, 1])
    # on another page (no lesson on it) a key is not the lesson's, also once the lesson is back
    page.evaluate("document.querySelector('main').replaceChildren(); history.pushState(null, '', '/cell')")
    page.keyboard.press("PageDown")
    page.evaluate("history.pushState(null, '', '/lesson'); window.mountKeys()")
    assert sent(page)[-1]["count"] == 4
    # a key while a control has the focus belongs to the control
    page.evaluate("document.querySelector('main').appendChild(document.createElement('input')).focus()")
    page.keyboard.press("ArrowRight")
    assert sent(page)[-1]["count"] == 4
    page.close()
