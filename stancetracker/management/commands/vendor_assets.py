"""Build static/vendor/ from the npm packages that package.json pins.

    npm ci --no-audit --no-fund
    python manage.py vendor_assets

ECharts' minified build is copied as it is; world-atlas's TopoJSON of the world becomes a
GeoJSON of Europe whose features carry ISO 3166-1 alpha-2 codes, the codes `Country` uses.
Nothing is downloaded here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# The map's frame: countries whose main landmass has its centroid in here are kept, and
# every kept shape is clipped to it (France without its overseas departments, Russia
# west of the Urals).
WEST, EAST, SOUTH, NORTH = -25.0, 60.0, 34.0, 72.0
ALWAYS = {"RU", "TR", "CY"}

# world-atlas identifies countries by ISO 3166-1 numeric code; Kosovo has none there, and
# Northern Cyprus is drawn as part of Cyprus, the state ISO and the UN recognise.
NUMERIC_TO_ALPHA2: dict[str, str] = {
    "008": "AL", "020": "AD", "031": "AZ", "040": "AT", "051": "AM", "056": "BE",
    "070": "BA", "100": "BG", "112": "BY", "191": "HR", "196": "CY", "203": "CZ",
    "208": "DK", "233": "EE", "234": "FO", "246": "FI", "248": "AX", "250": "FR",
    "268": "GE", "276": "DE", "300": "GR", "336": "VA", "348": "HU", "352": "IS",
    "372": "IE", "380": "IT", "428": "LV", "438": "LI", "440": "LT", "442": "LU",
    "470": "MT", "492": "MC", "498": "MD", "499": "ME", "528": "NL", "578": "NO",
    "616": "PL", "620": "PT", "642": "RO", "643": "RU", "674": "SM", "688": "RS",
    "703": "SK", "705": "SI", "724": "ES", "752": "SE", "756": "CH", "792": "TR",
    "804": "UA", "807": "MK", "826": "GB", "831": "GG", "832": "JE", "833": "IM",
    # Neighbours inside the frame, drawn for context.
    "012": "DZ", "364": "IR", "368": "IQ", "376": "IL", "398": "KZ", "400": "JO",
    "422": "LB", "434": "LY", "504": "MA", "760": "SY", "788": "TN", "795": "TM",
    "818": "EG",
}  # fmt: skip
NAME_TO_ALPHA2 = {"Kosovo": "XK", "N. Cyprus": "CY"}

Point = tuple[float, float]
Ring = list[Point]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute coordinates of every arc: positions are delta-encoded, then quantized."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_from_arcs(indexes: list[int], arcs: list[list[Point]]) -> Ring:
    """Join arcs into a ring; index ~i (negative) is arc i walked backwards."""
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # Consecutive arcs share their joining point.
        ring.extend(points if not ring else points[1:])
    return ring


def polygons_of(geometry: dict, arcs: list[list[Point]]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[ring_from_arcs(ring, arcs) for ring in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring_from_arcs(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    return []


def ring_area_centroid(ring: Ring) -> tuple[float, Point]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(area), (cx / (6 * area), cy / (6 * area))


def main_centroid(polygons: list[list[Ring]]) -> Point:
    """The centroid of the largest polygon's outer ring: France's is in Europe, not Guiana."""
    measured = [ring_area_centroid(polygon[0]) for polygon in polygons if polygon and polygon[0]]
    return max(measured)[1]


def unwrap(ring: Ring) -> Ring:
    """A ring across the antimeridian (Chukotka) jumps from +180 to -180; move its western
    points east by 360 degrees, or clipping would draw the jump as a band across Europe."""
    if any(x > 150 for x, _ in ring) and any(x < -150 for x, _ in ring):
        return [(x + 360 if x < 0 else x, y) for x, y in ring]
    return ring


def clip_ring(ring: Ring) -> Ring:
    """Sutherland–Hodgman against the frame, one edge at a time."""
    ring = unwrap(ring)
    edges = [
        (lambda p: p[0] >= WEST, lambda a, b: _at_x(a, b, WEST)),
        (lambda p: p[0] <= EAST, lambda a, b: _at_x(a, b, EAST)),
        (lambda p: p[1] >= SOUTH, lambda a, b: _at_y(a, b, SOUTH)),
        (lambda p: p[1] <= NORTH, lambda a, b: _at_y(a, b, NORTH)),
    ]
    points = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
    for inside, cross in edges:
        if not points:
            break
        clipped: Ring = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(cross(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(cross(previous, point))
            previous = point
        points = clipped
    return points


def _at_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def tidy(ring: Ring) -> list[list[float]]:
    """Rounded to about 100 m, repeated points dropped, closed."""
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, 3), round(y, 3)]
        if not out or out[-1] != point:
            out.append(point)
    if len(out) >= 3 and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else []


def europe_geojson(topology: dict) -> tuple[dict, list[str]]:
    """The GeoJSON FeatureCollection, and the names of in-frame countries left out."""
    arcs = decode_arcs(topology)
    features: dict[str, dict] = {}
    unknown = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        code = NUMERIC_TO_ALPHA2.get(str(geometry.get("id"))) or NAME_TO_ALPHA2.get(name)
        polygons = polygons_of(geometry, arcs)
        if not polygons:
            continue
        x, y = main_centroid(polygons)
        in_frame = WEST <= x <= EAST and SOUTH <= y <= NORTH
        if not (in_frame or code in ALWAYS):
            continue
        if code is None:
            unknown.append(name)
            continue
        clipped = []
        for polygon in polygons:
            outer = tidy(clip_ring(polygon[0]))
            if not outer:
                continue
            holes = [hole for hole in (tidy(clip_ring(ring)) for ring in polygon[1:]) if hole]
            clipped.append([outer, *holes])
        if not clipped:
            continue
        if code in features:  # a second shape with the same code joins the first
            features[code]["geometry"]["coordinates"].extend(clipped)
            if str(geometry.get("id")) in NUMERIC_TO_ALPHA2:
                features[code]["properties"]["name"] = name
            continue
        features[code] = {
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "name": name},
            "geometry": {"type": "MultiPolygon", "coordinates": clipped},
        }
    ordered = [features[code] for code in sorted(features)]
    return {"type": "FeatureCollection", "features": ordered}, unknown


class Command(BaseCommand):
    help = "Copy ECharts and build the Europe GeoJSON into static/vendor/ from node_modules/."

    def add_arguments(self, parser):
        parser.add_argument("--node-modules", default=str(settings.BASE_DIR / "node_modules"))
        parser.add_argument("--out", default=str(settings.BASE_DIR / "static" / "vendor"))

    def handle(self, *args, node_modules: str, out: str, **options):
        modules, target = Path(node_modules), Path(out)
        echarts = modules / "echarts" / "dist" / "echarts.min.js"
        atlas = modules / "world-atlas" / "countries-50m.json"
        for source in (echarts, atlas):
            if not source.is_file():
                raise CommandError(f"{source} is missing: run `npm ci --no-audit --no-fund` first.")
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(echarts, target / "echarts.min.js")
        geojson, unknown = europe_geojson(json.loads(atlas.read_text(encoding="utf-8")))
        (target / "europe.geo.json").write_text(
            json.dumps(geojson, separators=(",", ":"), ensure_ascii=False), encoding="utf-8"
        )
        if unknown:
            self.stderr.write(f"Left out, no alpha-2 code in the table: {', '.join(unknown)}")
        self.stdout.write(
            f"Wrote {target / 'echarts.min.js'} and {target / 'europe.geo.json'} "
            f"({len(geojson['features'])} countries)."
        )
