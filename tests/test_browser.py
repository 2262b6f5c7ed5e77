"""The dashboard in a real browser: Playwright driving Debian's chromium (installed by .ci/run).

Open the overview, click a province on the tile map, submit a comment with a wrong and then a
right captcha, and see it appear, escaped; all under the app's Content-Security-Policy, which
must block nothing that matters (no inline script, no style sheet). The API docs render offline.
Every page fits a phone (390 px) and a desktop (1366 px) with no horizontal overflow (a
screenshot of each under pytest's tmp_path); the year slider and the comparison work.
"""

import re
import shutil

import pytest

from conftest import live_server
from nqpf.extract import extract_article
from nqpf.store import Store
from nqpf.web import create_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                "(.ci/run installs it: apt-get install chromium)")


@pytest.fixture(scope="module")
def server(tmp_path_factory, samples_dir):
    store = Store(tmp_path_factory.mktemp("browser") / "b.duckdb")
    store.add_article(extract_article(samples_dir / "seed_article.txt"))
    app = create_app(store, admin_token="t", moderation=False)
    with live_server(app, join_seconds=10) as base:
        yield base, app


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


#: Records what the Content-Security-Policy blocks, before any page script runs.
WATCH_CSP = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  {directive: e.violatedDirective, sample: e.sample, uri: e.blockedURI}));"""


def blocked(page) -> list[dict]:
    """What the CSP blocked on ``page``, less plotly.js setting an empty style attribute
    (d3's attr('style', ''), which has no effect either way)."""
    return [v for v in page.evaluate("() => window.__csp")
            if not (v["directive"] == "style-src-attr" and v["sample"] == "")]


def test_click_province_and_comment(server, browser):
    base, app = server
    page = browser.new_page()
    page.add_init_script(WATCH_CSP)
    page.goto(base + "/")
    page.wait_for_selector("#tilemap .scatterlayer .point", timeout=20000)
    # click the tile of 陕西 (tile-grid row 3, column 3)
    points = page.locator("#tilemap .scatterlayer .point")
    tiles = page.evaluate("() => document.getElementById('tilemap').data[0].customdata")
    index = tiles.index("610000")
    box = points.nth(index).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/province/610000**", timeout=20000)
    assert page.inner_text("#province-name") == "陕西省"
    page.wait_for_selector("#radar .polarlayer path", timeout=20000)
    assert blocked(page) == []
    assert page.locator(".captcha svg path").count() > 10
    assert page.locator(".captcha svg text").count() == 0

    # a wrong captcha first
    page.fill("input[name=nickname]", "<i>读者</i>")
    page.fill("textarea[name=body]", "<script>window.hacked=1</script>陕西加油")
    page.fill("input[name=captcha_answer]", "999")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("#message")
    assert "验证码错误" in page.inner_text("#message")
    assert page.locator(".comment").count() == 0

    # then the right one (read from the server's captcha book for the form on the page)
    cid = page.get_attribute("input[name=captcha_id]", "value")
    answer = app.state.captchas._answers[cid][0]
    page.fill("input[name=nickname]", "<i>读者</i>")
    page.fill("textarea[name=body]", "<script>window.hacked=1</script>陕西加油")
    page.fill("input[name=captcha_answer]", answer)
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector(".comment .body")
    assert page.inner_text(".comment .body") == "<script>window.hacked=1</script>陕西加油"
    assert page.inner_text(".comment .nick") == "<i>读者</i>"
    assert page.evaluate("() => window.hacked === undefined")
    page.close()


def test_charts_and_api_docs_under_the_csp(server, browser):
    base, _ = server
    page = browser.new_page()
    page.add_init_script(WATCH_CSP)
    for path, drawn in (("/ranking", "#traj .scatterlayer .trace"), ("/targets", "#targets"),
                        ("/docs", ".opblock-summary-path")):
        response = page.goto(base + path)
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector(drawn, timeout=20000)
        assert blocked(page) == [], path
    assert "/api/ingest" in page.inner_text("#swagger-ui")
    page.close()


PAGES = ["/", "/ranking", "/province/610000", "/targets", "/article/1", "/document/1",
         "/indicator/rd_intensity", "/compare?p=110000&p=310000&p=610000", "/target/1",
         "/?lang=en", "/province/610000?lang=en"]
#: What each page draws, to wait for before measuring.
DRAWN = {"/": "#tilemap .scatterlayer .point", "/ranking": "#traj .scatterlayer .trace",
         "/province/610000": "#radar .polarlayer path",
         "/indicator/rd_intensity": "#indicator-trend .scatterlayer .trace",
         "/compare?p=110000&p=310000&p=610000": "#cmp-score .scatterlayer .trace"}


@pytest.mark.parametrize("width", [390, 1366])
def test_every_page_fits_the_screen(server, browser, tmp_path, width):
    """On a phone (390 px) and a desktop (1366 px): no page is wider than the screen (tables
    scroll in their box, the map scales), the CSP blocks nothing; a screenshot of each."""
    base, _ = server
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 500 else 900})
    page = context.new_page()
    page.add_init_script(WATCH_CSP)
    for path in PAGES:
        assert page.goto(base + path).status == 200, path
        page.wait_for_selector(DRAWN.get(path.split("?lang")[0], "main"), timeout=20000)
        page.wait_for_load_state("networkidle")
        scroll, inner = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]")
        name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        assert scroll <= inner, (path, width, scroll)
        assert blocked(page) == [], path
    if width < 500:  # the map's squares fit the phone
        page.goto(base + "/")
        page.wait_for_selector("#tilemap .scatterlayer .point", timeout=20000)
        box = page.locator("#tilemap").bounding_box()
        assert box["width"] <= width
    context.close()


def test_year_selector_and_comparison(server, browser):
    base, _ = server
    page = browser.new_page()
    page.add_init_script(WATCH_CSP)
    page.goto(base + "/ranking?preset=innovation&lang=en")
    page.wait_for_selector("#traj .scatterlayer .trace", timeout=20000)
    assert page.input_value("#year") == "2023"
    page.eval_on_selector("#year", "e => { e.value = '2019'; "
                          "e.dispatchEvent(new Event('input', {bubbles: true})); "
                          "e.dispatchEvent(new Event('change', {bubbles: true})); }")
    page.wait_for_url(re.compile(r".*year=2019.*"), timeout=20000)
    assert "2019" in page.inner_text("h1") and "preset=innovation" in page.url
    assert "lang=en" in page.url and page.input_value("#year") == "2019"
    # the map follows the year too, and a tile leads to the province in the same view
    page.goto(base + "/?year=2018&weights=equal")
    page.wait_for_selector("#tilemap .scatterlayer .point", timeout=20000)
    assert "2018" in page.inner_text("h1")
    link = page.evaluate("() => JSON.parse(document.querySelector('script.tilemap').textContent).link")
    assert "year=2018" in link and "weights=equal" in link
    # compare: tick three provinces, apply; at most five can be ticked
    page.goto(base + "/compare?lang=zh")
    assert page.locator("#compare-empty").count() == 1
    for code in ("110000", "440000", "510000"):
        page.check(f"fieldset.pick input[value='{code}']")
    page.click("#controls button[type=submit]")
    page.wait_for_selector("#cmp-score .scatterlayer .trace", timeout=20000)
    assert page.locator("#cmp-score .scatterlayer .trace").count() == 3
    assert page.locator("#cmp-rank .scatterlayer .trace").count() == 3
    assert page.locator("#compare-table tr").count() == 4
    for code in ("310000", "320000"):
        page.check(f"fieldset.pick input[value='{code}']")
    assert page.locator("fieldset.pick input[value='330000']").is_disabled()
    assert blocked(page) == []
    page.close()
