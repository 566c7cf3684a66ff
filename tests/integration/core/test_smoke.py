from tests.conftest import login


def test_login_page_and_home(client):
    assert client.get("/login/").status_code == 200
    resp = login(client, "clerk.dhr")
    assert resp.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "Zonal Hospital Dharamshala" in home.get_data(as_text=True)
