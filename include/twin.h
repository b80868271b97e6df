/*
 * twin.h — the C interface of TwinGeo (libtwin), the spatial core of a city-district
 * digital twin: which cell of every department's grid a point lies in (多格合一), fast
 * and exactly, from any thread.
 *
 * Link with -ltwin (libtwin.so.0; see scripts/build-libtwin). C99; usable from C++.
 *
 * ## Rules that hold for every function
 *
 * - Status. Every function but twin_version, the *_string and *_errmsg functions and the
 *   *_close functions returns an int status: TWIN_OK (0) or a TWIN_ERR_* code. New codes may be
 *   added in later versions; treat any non-zero value you do not know as a failure
 *   (twin_status_string names it "unknown status").
 * - Messages. After a failure, twin_errmsg() gives a sentence naming the function and
 *   what was wrong (file, layer, index, CRS ...). Messages are kept per thread: a handle
 *   shared by many threads never shows one thread another thread's message.
 * - NULL. A NULL handle, or a NULL array/out-pointer the call needs, is TWIN_ERR_ARG.
 * - Counts. A point count of 0 is TWIN_OK and does nothing (the arrays may then be NULL).
 * - Buffers. String outputs go into a caller buffer `buf` of `n` bytes; `*needed` (when
 *   `needed` is not NULL) receives the bytes required including the terminating NUL. If
 *   `n` is smaller, the call returns TWIN_ERR_BUFFER (and writes "" when n > 0): call once
 *   with buf NULL and n 0 to size, then again. Array outputs that are too short are
 *   TWIN_ERR_BUFFER too; nothing is written then.
 * - Cells. A cell is an index into its layer's cells (0 ..< that layer's cell count),
 *   int32_t; -1 means "no cell": the point is outside that layer's grid, or its
 *   coordinates are NaN or infinite, or the CRS cannot convert that position. Such points
 *   are answers, not errors. Turn an index into the department's code with twin_cell_code.
 * - Boundary rule. Every point of a gap-free grid is in exactly one cell, also on a shared
 *   edge or vertex (a point on a shared edge belongs to the cell west of it, above a
 *   horizontal edge); a point strictly inside a cell is in that cell; outside, -1.
 * - CRS names (case-insensitive): "wgs84", "cgcs2000", "gcj02" (AMap, Tencent), "bd09"
 *   (Baidu), "EPSG:n" (through PROJ). For locate calls, NULL means "wgs84". Positions are
 *   (longitude, latitude) in degrees, or (easting, northing) for projected EPSG systems.
 * - Aborts. No function aborts the process or lets an exception escape, whatever the input.
 * - Memory. Strings returned as `const char *` are owned by the library; never free them.
 *   The only things you free are handles: a twin_t with twin_close, a twin_assets_t with
 *   twin_assets_close, a twin_geocoder_t with twin_geocoder_close.
 */
#ifndef TWIN_H
#define TWIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opened twin: every layer and the merged grid in immutable in-memory indexes.
 * Opaque; obtained from twin_open, freed with twin_close. */
typedef struct twin twin_t;

/** The assets of a twin file (buildings, pipes, cameras, sensors) in immutable in-memory
 * R-trees, for nearest/seeing/excavation queries in metres. Opaque; obtained from
 * twin_assets_open, freed with twin_assets_close. Independent of any twin_t.
 * Since: 0.1.0 */
typedef struct twin_assets twin_assets_t;

/** The address book of a twin file (roads, door-plates, 小区, POIs, intersections, aliases) in
 * immutable in-memory indexes, for address geocoding. Opaque; obtained from
 * twin_geocoder_open, freed with twin_geocoder_close. Independent of any twin_t.
 * Since: 0.1.0 */
typedef struct twin_geocoder twin_geocoder_t;

/** @defgroup version Version
 * @{ */

/** The version of this header. twin_version() returns the version of the library linked at
 * run time; a program can compare the two (assert(twin_version() == TWIN_VERSION_NUMBER)).
 * Since: 0.1.0 */
#define TWIN_VERSION_MAJOR 0
#define TWIN_VERSION_MINOR 1
#define TWIN_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH. */
#define TWIN_VERSION_NUMBER (TWIN_VERSION_MAJOR * 10000 + TWIN_VERSION_MINOR * 100 + TWIN_VERSION_PATCH)
#define TWIN_VERSION_STRING "0.1.0"

/** The library's version number, MAJOR * 10000 + MINOR * 100 + PATCH.
 * Returns: the number; equal to TWIN_VERSION_NUMBER when header and library match.
 * Ownership: nothing to free. Threads: any thread. Since: 0.1.0 */
int twin_version(void);

/** @} */

/** @defgroup status Status codes
 * Values are fixed forever: a code is never renumbered or reused. More may be added.
 * @{ */

#define TWIN_OK 0             /* Success */
#define TWIN_ERR_IO 1         /* A file could not be opened or read (missing path, permission) */
#define TWIN_ERR_FORMAT 2     /* Malformed input or file (not SQLite, not a GeoPackage, not a twin) */
#define TWIN_ERR_ARG 3        /* An argument is out of its domain (a NULL, a count too large) */
#define TWIN_ERR_NOT_FOUND 4  /* No such layer or cell (index out of range, or -1) */
#define TWIN_ERR_BUFFER 5     /* A caller-provided buffer is too small (see *needed) */
#define TWIN_ERR_GEOMETRY 6   /* A geometry is invalid for the operation */
#define TWIN_ERR_CRS 7        /* Unknown CRS name or EPSG code, or a position that cannot be transformed */
#define TWIN_ERR_INTERNAL 99  /* A bug in TwinGeo: please report it with twin_errmsg() */

/** A short static English phrase for a status code ("ok", "buffer too small" ...);
 * "unknown status" for a code this library does not define.
 * Returns: never NULL. Ownership: static storage; do not free. Threads: any thread.
 * Since: 0.1.0 */
const char *twin_status_string(int status);

/** The calling thread's last error message.
 * @param t  a handle: the message of this thread's last failed call on `t`;
 *           NULL: the message of this thread's last failed call made without a handle
 *           (twin_open, twin_transform, or any call given a NULL handle).
 * Returns: the message, or "" when there is none. Never NULL. A successful call does not
 *   clear it: read it right after a call returned non-zero.
 * Ownership: owned by the library; valid until the same thread's next failing call of the
 *   same kind (on a handle / without one), twin_close(t) on this thread, or thread exit.
 *   Copy it to keep it.
 * Threads: any thread; each thread sees only its own messages. Since: 0.1.0 */
const char *twin_errmsg(const twin_t *t);

/** @} */

/** @defgroup handle Opening and closing a twin
 * @{ */

/** Opens a twin file (a GeoPackage written by twin-tool / TwinBuilder) read-only and reads it
 * into memory. The file is never modified and a missing path is never created; it may be
 * closed, moved or rewritten after this returns. Queries answer with the latest grid.
 * @param path  file path (UTF-8).
 * @param out   receives the handle. *out is always written: the handle on success, NULL on
 *              failure.
 * Returns: TWIN_OK; TWIN_ERR_IO for a missing or unreadable path; TWIN_ERR_FORMAT for a file
 *   that is not SQLite, not a GeoPackage, not a twin, or damaged; TWIN_ERR_ARG for NULL
 *   arguments. The message (twin_errmsg(NULL)) names the file.
 * Ownership: the caller owns *out and must pass it to twin_close exactly once.
 * Threads: any thread; the handle may then be used from any number of threads at once.
 * Since: 0.1.0 */
int twin_open(const char *path, twin_t **out);

/** Frees a handle and everything it holds. NULL is a harmless no-op.
 * Ownership: `t` is invalid afterwards. Threads: call it once no other thread uses `t`.
 * Since: 0.1.0 */
void twin_close(twin_t *t);

/** @} */

/** @defgroup layers Layers and cells
 * @{ */

/** The number of layers (department grids and hierarchy levels).
 * Every per-layer answer is in this order: layer 0 ..< *count.
 * Returns: TWIN_OK; TWIN_ERR_ARG for NULL. Ownership: none. Threads: any thread.
 * Since: 0.1.0 */
int twin_layer_count(const twin_t *t, size_t *count);

/** The name of layer `layer` (UTF-8, e.g. "unit", "police"), into buf (see "Buffers").
 * Returns: TWIN_OK; TWIN_ERR_NOT_FOUND for a layer out of range; TWIN_ERR_BUFFER when n
 *   is less than *needed; TWIN_ERR_ARG for a NULL handle, or buf NULL with n > 0.
 * Ownership: the caller owns buf. Threads: any thread. Since: 0.1.0 */
int twin_layer_name(const twin_t *t, size_t layer, char *buf, size_t n, size_t *needed);

/** The number of cells of layer `layer`: valid cell indexes are 0 ..< *count (all versions of
 * the layer's cells; the latest grid uses those of its latest version).
 * Returns: TWIN_OK; TWIN_ERR_NOT_FOUND for a layer out of range; TWIN_ERR_ARG for NULL.
 * Ownership: none. Threads: any thread. Since: 0.1.0 */
int twin_cell_count(const twin_t *t, size_t layer, size_t *count);

/** The code of cell `cell` of layer `layer` (e.g. the 15-digit unit grid code), into buf.
 * Returns: TWIN_OK; TWIN_ERR_NOT_FOUND for a layer out of range, a cell out of range or
 *   -1; TWIN_ERR_BUFFER when n is less than *needed; TWIN_ERR_ARG as twin_layer_name.
 * Ownership: the caller owns buf. Threads: any thread. Since: 0.1.0 */
int twin_cell_code(const twin_t *t, size_t layer, int32_t cell, char *buf, size_t n, size_t *needed);

/** The name of cell `cell` of layer `layer` (UTF-8), into buf; "" for a cell without a name.
 * Returns, Ownership, Threads: as twin_cell_code. Since: 0.1.0 */
int twin_cell_name(const twin_t *t, size_t layer, int32_t cell, char *buf, size_t n, size_t *needed);

/** @} */

/** @defgroup locate Locating points
 * @{ */

/** Locates one point in every layer at once.
 * @param lon, lat  the position in `crs` (NaN or infinite: every cell -1, TWIN_OK).
 * @param crs       CRS name (see "CRS names"); NULL = "wgs84".
 * @param cells     receives one cell index (or -1) per layer, in layer order.
 * @param n_cells   slots in cells; at least twin_layer_count.
 * Returns: TWIN_OK; TWIN_ERR_BUFFER when n_cells is too small (nothing written);
 *   TWIN_ERR_CRS for an unknown CRS; TWIN_ERR_ARG for NULL t or cells.
 * Ownership: the caller owns cells. Threads: any thread, concurrently on one handle.
 * Complexity: O(1) expected; no allocation for a NULL or "wgs84"/"cgcs2000" CRS (about 0.1 µs
 *   per call). For many points use twin_locate_batch (faster per point, and on every core).
 * Since: 0.1.0 */
int twin_locate(const twin_t *t, double lon, double lat, const char *crs, int32_t *cells, size_t n_cells);

/** twin_locate in the grid in force at an instant (each layer version has valid-from/valid-to;
 * a year of events is assigned to the grids of their dates).
 * @param unix_seconds  the instant, seconds since 1970-01-01T00:00:00Z (fractions allowed).
 * Returns: as twin_locate; also TWIN_ERR_ARG for an instant that is NaN, infinite or outside
 *   the years 1-9999 (nothing written).
 * Ownership, Threads: as twin_locate. Since: 0.1.0 */
int twin_locate_at(const twin_t *t, double lon, double lat, const char *crs, double unix_seconds, int32_t *cells,
                   size_t n_cells);

/** Locates n points in every layer, split over every core (results equal to n calls of
 * twin_locate).
 * @param lon, lat  n positions each in `crs`; a NaN/infinite one gets -1 in every layer.
 * @param crs       CRS name; NULL = "wgs84". Checked even when n is 0.
 * @param out       LAYER-MAJOR results: out[layer * n + i] is point i's cell index in layer
 *                  `layer` (or -1), so each layer's answers are one contiguous run of n.
 * @param out_len   slots in out; at least n * twin_layer_count.
 * Returns: TWIN_OK (also for n == 0: lon, lat, out are then not read and may be NULL);
 *   TWIN_ERR_BUFFER when out_len is too small (nothing written); TWIN_ERR_CRS for an unknown
 *   CRS; TWIN_ERR_ARG for NULL arguments.
 * Ownership: the caller owns every array. Threads: any thread, concurrently on one handle;
 *   the call itself runs on a pool of threads and returns when all are done.
 * Complexity: O(n × (1 + layers)). Since: 0.1.0 */
int twin_locate_batch(const twin_t *t, const double *lon, const double *lat, size_t n, const char *crs,
                      int32_t *out, size_t out_len);

/** twin_locate_batch in the grid in force at one instant.
 * @param unix_seconds  seconds since 1970-01-01T00:00:00Z; checked even when n is 0.
 * Returns: as twin_locate_batch; also TWIN_ERR_ARG for an instant that is NaN, infinite or
 *   outside the years 1-9999 (nothing written).
 * Ownership, Threads, Complexity: as twin_locate_batch. Since: 0.1.0 */
int twin_locate_batch_at(const twin_t *t, const double *lon, const double *lat, size_t n, const char *crs,
                         double unix_seconds, int32_t *out, size_t out_len);

/** The general batch locate: chosen layers only, and the latest grid, the grid of one instant,
 * or each point in the grid of its own instant. The other batch calls are special cases.
 * @param lon, lat       n positions in `crs` (NaN/infinite: -1).
 * @param crs            CRS name; NULL = "wgs84". Checked even when n is 0.
 * @param unix_seconds   instants in seconds since 1970-01-01T00:00:00Z, as n_times says:
 * @param n_times        0: the latest grid (unix_seconds is not read and may be NULL);
 *                       1: unix_seconds[0] for every point (NaN, infinite or outside years
 *                          1-9999 is TWIN_ERR_ARG, checked even when n is 0);
 *                       n (n > 1): unix_seconds[i] for point i (a NaN, infinite or out-of-range
 *                          instant gives that point -1 in every layer: an answer, not an error);
 *                       any other value: TWIN_ERR_ARG.
 * @param layers         the layer indexes to answer, in the order wanted (a layer may repeat);
 * @param n_layers       their number; 0 means every layer in layer order (layers may be NULL).
 * @param out            LAYER-MAJOR: out[j * n + i] is point i's cell in layer layers[j].
 * @param out_len        slots in out; at least n * (n_layers, or twin_layer_count when 0).
 * Returns: TWIN_OK; TWIN_ERR_NOT_FOUND for a layer index out of range; TWIN_ERR_BUFFER when
 *   out_len is too small; TWIN_ERR_CRS for an unknown CRS; TWIN_ERR_ARG for NULL arguments,
 *   a bad n_times or a bad single instant. Nothing is written on failure.
 * Ownership: the caller owns every array. Threads: as twin_locate_batch (runs on every core).
 * Complexity: O(n × (1 + selected layers)); with n_times = n, O(n × (log epochs + layers)).
 * Since: 0.1.0 */
int twin_locate_select(const twin_t *t, const double *lon, const double *lat, size_t n, const char *crs,
                       const double *unix_seconds, size_t n_times, const size_t *layers, size_t n_layers,
                       int32_t *out, size_t out_len);

/** @} */

/** @defgroup assets Assets: nearest, cameras that see a point, pipes under an excavation
 *
 * An asset is addressed by its kind and a slot: an int32_t in 0 ..< twin_assets_count(kind),
 * stable for the life of the handle. twin_asset_id turns a slot into the asset's id (the
 * asset_id column of the twin file). Distances are exact planar metres in CGCS2000 3-degree
 * Gauss-Krüger (EPSG:4549), within 2.5e-4 of the geodesic distance across western Shanghai.
 * Query positions are lon/lat in `crs` (NULL = "wgs84"); a NaN or infinite position is
 * TWIN_ERR_ARG here (a query about no place has no answer). Result arrays are caller-sized:
 * `*count` receives the number of results; when it exceeds the slots given, the call returns
 * TWIN_ERR_BUFFER and writes nothing but *count, so size with n_slots 0 and call again.
 * @{ */

/** Asset kinds (values fixed forever). */
#define TWIN_ASSET_BUILDING 0 /* footprint polygons (distance 0 inside) */
#define TWIN_ASSET_PIPE 1     /* underground pipe segments (distance to the nearest segment) */
#define TWIN_ASSET_CAMERA 2   /* cameras with a view sector */
#define TWIN_ASSET_SENSOR 3   /* sensors (points) */

/** Pipe networks: the index of each network in twin_assets_excavation's network_lengths
 * (values fixed forever), and twin_asset_type's text for a pipe. */
#define TWIN_PIPE_WATER_SUPPLY 0 /* 给水 "water_supply" */
#define TWIN_PIPE_DRAINAGE 1     /* 排水 "drainage" */
#define TWIN_PIPE_GAS 2          /* 燃气 "gas" */
#define TWIN_PIPE_POWER 3        /* 电力 "power" */
#define TWIN_PIPE_TELECOM 4      /* 通信 "telecom" */
#define TWIN_PIPE_HEATING 5      /* 供热 "heating" */
#define TWIN_PIPE_NETWORKS 6     /* the number of networks: network_lengths needs this many */

/** Loads the asset tables of a twin file (the file twin_open takes) read-only into memory. The
 * file is never modified. A twin without assets gives a handle with no assets.
 * @param path  file path (UTF-8).
 * @param out   receives the handle; always written (NULL on failure).
 * Returns: TWIN_OK; TWIN_ERR_IO for a missing or unreadable path; TWIN_ERR_FORMAT for a file
 *   that is not a twin, or a stored asset that breaks the rules (the message names the table
 *   and feature); TWIN_ERR_ARG for NULL arguments. Message: twin_errmsg(NULL).
 * Ownership: the caller owns *out and must pass it to twin_assets_close exactly once.
 * Threads: any thread; the handle may then be queried from any number of threads at once.
 * Since: 0.1.0 */
int twin_assets_open(const char *path, twin_assets_t **out);

/** Frees an assets handle. NULL is a harmless no-op.
 * Threads: call it once no other thread uses `a`. Since: 0.1.0 */
void twin_assets_close(twin_assets_t *a);

/** The calling thread's last error message from a call on `a` (NULL: from a call without a
 * handle); "" when there is none. Never NULL. Lifetime and threads as twin_errmsg (a thread
 * keeps one message for calls on any handle, twin_t or twin_assets_t, and one for calls
 * without). Since: 0.1.0 */
const char *twin_assets_errmsg(const twin_assets_t *a);

/** The number of assets of `kind`; their slots are 0 ..< *count.
 * Returns: TWIN_OK; TWIN_ERR_ARG for NULL or an unknown kind. Threads: any thread.
 * Since: 0.1.0 */
int twin_assets_count(const twin_assets_t *a, int kind, size_t *count);

/** The id of asset `slot` of `kind`, into buf (see "Buffers").
 * Returns: TWIN_OK; TWIN_ERR_NOT_FOUND for a slot out of range (or negative); TWIN_ERR_BUFFER
 *   when n is less than *needed; TWIN_ERR_ARG for a NULL handle, an unknown kind, or buf NULL
 *   with n > 0. Ownership: the caller owns buf. Threads: any thread. Since: 0.1.0 */
int twin_asset_id(const twin_assets_t *a, int kind, int32_t slot, char *buf, size_t n, size_t *needed);

/** The type of asset `slot` of `kind`, into buf: a pipe's network ("water_supply", "drainage",
 * "gas", "power", "telecom", "heating"), a sensor's type, a building's use, a camera's name
 * ("" when the record has none). Returns, Ownership, Threads: as twin_asset_id.
 * Since: 0.1.0 */
int twin_asset_type(const twin_assets_t *a, int kind, int32_t slot, char *buf, size_t n, size_t *needed);

/** The k assets of `kind` nearest to a point, nearest first (equal distances by slot).
 * @param max_metres  only assets at most this far (inclusive); INFINITY for no limit.
 * @param slots       k slots: receives the assets' slots.
 * @param distances   NULL, or k slots: receives each asset's distance in metres (0 inside a
 *                    building footprint or on a pipe).
 * @param k           how many at most; 0 is TWIN_OK with *count 0 (slots may then be NULL).
 * @param count       receives how many were found (<= k; fewer when the kind has fewer
 *                    assets within max_metres).
 * Returns: TWIN_OK; TWIN_ERR_ARG for NULL handle/slots/count, an unknown kind, a NaN/infinite
 *   position, or max_metres negative or NaN; TWIN_ERR_CRS for an unknown CRS or a position
 *   the CRS cannot convert.
 * Ownership: the caller owns the arrays. Threads: any thread, concurrently on one handle.
 * Complexity: O(log assets + k) expected (R-tree best-first search). Since: 0.1.0 */
int twin_assets_nearest(const twin_assets_t *a, int kind, double lon, double lat, const char *crs, double max_metres,
                        int32_t *slots, double *distances, size_t k, size_t *count);

/** The cameras whose view sector covers a point, nearest first (equal distances by id): within
 * range and within heading ± fov/2 (both inclusive; a camera always sees its own position).
 * @param slots, distances  n_slots slots each (distances may be NULL): camera slots and metres.
 * @param count             receives the number of cameras that see the point.
 * Returns: TWIN_OK; TWIN_ERR_BUFFER when more cameras see it than n_slots (only *count is
 *   written); TWIN_ERR_ARG for NULL handle/count, slots NULL with n_slots > 0, or a
 *   NaN/infinite position; TWIN_ERR_CRS as twin_assets_nearest.
 * Ownership, Threads: as twin_assets_nearest. Since: 0.1.0 */
int twin_assets_cameras_seeing(const twin_assets_t *a, double lon, double lat, const char *crs, int32_t *slots,
                               double *distances, size_t n_slots, size_t *count);

/** Checks a planned excavation against the pipes beneath it (智慧工地): every pipe whose exact
 * distance to the excavation polygon is at most clearance_metres, nearest first (equal
 * distances by id), with the length of pipe inside the polygon buffered by the clearance.
 * @param lon, lat          the polygon's ring, n vertices in `crs` (the closing vertex may be
 *                          repeated or left out; no holes).
 * @param clearance_metres  the safety margin around the polygon, finite and >= 0.
 * @param slots             n_slots slots: the pipes' slots.
 * @param distances         NULL or n_slots slots: each pipe's distance to the polygon (0 when
 *                          it crosses or touches it), metres.
 * @param lengths           NULL or n_slots slots: each pipe's length inside the zone, metres.
 * @param count             receives the number of pipes found.
 * @param network_lengths   NULL, or n_networks >= TWIN_PIPE_NETWORKS slots: the total length
 *                          inside the zone per network, indexed by TWIN_PIPE_* (0 for networks
 *                          with no pipe there).
 * Returns: TWIN_OK; TWIN_ERR_BUFFER when more pipes are found than n_slots (only *count is
 *   written), or n_networks is less than TWIN_PIPE_NETWORKS (nothing written); TWIN_ERR_GEOMETRY
 *   for fewer than 3 distinct vertices, or a polygon GEOS cannot buffer (e.g. self-crossing);
 *   TWIN_ERR_ARG for NULL handle/lon/lat/count, slots NULL with n_slots > 0, network_lengths
 *   NULL with n_networks > 0, a NaN/infinite vertex (the message names its index) or a bad
 *   clearance; TWIN_ERR_CRS for an unknown CRS or a vertex the CRS cannot convert.
 * Ownership: the caller owns the arrays. Threads: any thread, concurrently on one handle.
 * Complexity: one R-tree search, an exact distance per candidate pipe, one GEOS buffer (none
 *   when clearance is 0) and a clip per pipe within the clearance. Since: 0.1.0 */
int twin_assets_excavation(const twin_assets_t *a, const double *lon, const double *lat, size_t n, const char *crs,
                           double clearance_metres, int32_t *slots, double *distances, double *lengths, size_t n_slots,
                           size_t *count, double *network_lengths, size_t n_networks);

/** @} */

/** @defgroup geocode Address geocoding: written addresses to points
 *
 * Turns Shanghai-style address text ("普陀区长寿路街道长寿路588弄12号3楼", "武宁路与常德路交叉口",
 * "中远两湾城5号门") into a WGS84 point, how precisely it was placed (the level), a confidence
 * score 0-1 and the matched address in canonical form ("长寿路588弄12号"). Pass the point to
 * twin_locate to get every layer's cell. Precision before recall: a 号 that the road or 弄 does
 * not have is never replaced by a neighbouring number; the answer is the 弄 when it exists
 * (TWIN_MATCH_LANE with TWIN_REASON_NO_SUCH_NUMBER), else no match (an honest "not found"
 * goes to manual review).
 *
 * No match is an answer, not an error: the call returns TWIN_OK with level TWIN_MATCH_NONE,
 * position NaN, score 0, matched "" and the reason in *reason (TWIN_REASON_*). The same holds
 * for every text, however malformed: empty, only punctuation, longer than 512 characters
 * (TWIN_REASON_TOO_LONG), invalid UTF-8 (TWIN_REASON_INVALID_UTF8: rejected, never repaired,
 * so the caller sees which rows were damaged), or a NULL text (TWIN_REASON_EMPTY, a missing
 * value). Only a NULL handle or a NULL output the call needs is an error (TWIN_ERR_ARG).
 * A match may carry a reason too: why it is coarser than the text asked for.
 * @{ */

/** Match levels, finest first (values fixed forever; more may be added at the end). */
#define TWIN_MATCH_NONE 0         /* no match (see the reason) */
#define TWIN_MATCH_DOORPLATE 1    /* 门牌: the door-plate's entrance */
#define TWIN_MATCH_LANE 2         /* 弄: the centre of the lane's door-plates */
#define TWIN_MATCH_POI 3          /* a named point (小区 gate, school, station): the point itself */
#define TWIN_MATCH_COMMUNITY 4    /* 小区: the centroid of its outline */
#define TWIN_MATCH_INTERSECTION 5 /* 交叉口: where the two centrelines cross */
#define TWIN_MATCH_ROAD 6         /* 路: halfway along the road's centreline */
#define TWIN_MATCH_TOWN 7         /* 街镇: the centre of the town's door-plates */

/** Reasons (values fixed forever; more may be added at the end). */
#define TWIN_REASON_NONE 0                 /* no reason: an exact match */
#define TWIN_REASON_EMPTY 1                /* the text is empty (or NULL) */
#define TWIN_REASON_ONLY_PUNCTUATION 2     /* only spaces, punctuation or control characters */
#define TWIN_REASON_TOO_LONG 3             /* longer than 512 Unicode scalars */
#define TWIN_REASON_INVALID_UTF8 4         /* not valid UTF-8 (or contains U+FFFD) */
#define TWIN_REASON_UNRECOGNISED 5         /* no road, 小区, POI or town recognised */
#define TWIN_REASON_NO_SUCH_ROAD 6         /* the road is not in the address book */
#define TWIN_REASON_NO_SUCH_LANE 7         /* the road exists, the 弄 (or 支弄) does not */
#define TWIN_REASON_NO_SUCH_NUMBER 8       /* the road (and 弄) exist, the 号 does not */
#define TWIN_REASON_NO_SUCH_INTERSECTION 9 /* both roads exist but do not meet */
#define TWIN_REASON_AMBIGUOUS 10           /* fits more than one place equally well */

/** The name of a match level: "none", "doorplate", "lane", "poi", "community",
 * "intersection", "road", "town"; "unknown" for any other number.
 * Returns: never NULL. Ownership: static storage; do not free. Threads: any thread.
 * Since: 0.1.0 */
const char *twin_match_level_string(int level);

/** The name of a reason: "" for TWIN_REASON_NONE, "empty", "only_punctuation", "too_long",
 * "invalid_utf8", "unrecognised", "no_such_road", "no_such_lane", "no_such_number",
 * "no_such_intersection", "ambiguous"; "unknown" for any other number.
 * Returns: never NULL. Ownership: static storage; do not free. Threads: any thread.
 * Since: 0.1.0 */
const char *twin_match_reason_string(int reason);

/** Reads the address book of a twin file (imported with `twin-tool import-addresses`)
 * read-only into memory; geocoding never reads the file again. The file is never modified.
 * @param path  file path (UTF-8).
 * @param out   receives the handle; always written (NULL on failure).
 * Returns: TWIN_OK; TWIN_ERR_IO for a missing or unreadable path; TWIN_ERR_FORMAT for a file
 *   that is not a twin, a twin without an address book, or a stored row that breaks the rules
 *   (the message names the table, fid and column); TWIN_ERR_ARG for NULL arguments.
 *   Message: twin_geocoder_errmsg(NULL).
 * Ownership: the caller owns *out and must pass it to twin_geocoder_close exactly once.
 * Threads: any thread; the handle may then be used from any number of threads at once.
 * Complexity: O(rows of the address tables). Since: 0.1.0 */
int twin_geocoder_open(const char *path, twin_geocoder_t **out);

/** Frees a geocoder handle. NULL is a harmless no-op.
 * Threads: call it once no other thread uses `g`. Since: 0.1.0 */
void twin_geocoder_close(twin_geocoder_t *g);

/** The calling thread's last error message from a call on `g` (NULL: from a call without a
 * handle); "" when there is none. Never NULL. Lifetime and threads as twin_errmsg.
 * Since: 0.1.0 */
const char *twin_geocoder_errmsg(const twin_geocoder_t *g);

/** Geocodes one address.
 * @param utf8     the address, UTF-8; NULL (with len 0) is no match, TWIN_REASON_EMPTY.
 * @param len      its length in bytes; 0: NUL-terminated (read up to the NUL). With a length
 *                 the text need not be NUL-terminated, and a NUL byte inside it is a
 *                 control character (noise), not the end.
 * @param lon, lat receive the WGS84 position (NaN when there is no match).
 * @param level    receives TWIN_MATCH_*.
 * @param score    NULL or receives the confidence 0-1 (0 when there is no match).
 * @param reason   NULL or receives TWIN_REASON_* (TWIN_REASON_NONE for an exact match).
 * @param matched  NULL (n 0: the address is not wanted), or a buffer of n bytes that receives
 *                 the matched address in canonical form, e.g. "长寿路588弄12号" ("" when there
 *                 is no match). 64 bytes hold nearly every canonical address.
 * @param needed   NULL or receives the bytes the matched address takes with its NUL (also
 *                 when matched is NULL).
 * Returns: TWIN_OK, also when there is no match; TWIN_ERR_BUFFER when n is less than *needed
 *   (matched receives "" when n > 0; every other output is written all the same);
 *   TWIN_ERR_ARG for a NULL handle, lon, lat or level, utf8 NULL with len > 0, or matched
 *   NULL with n > 0 (nothing written).
 * Ownership: the caller owns every buffer; the text is only read during the call.
 * Threads: any thread, concurrently on one handle.
 * Complexity: O(length of the text); a few microseconds. For many addresses use twin_geocode_batch.
 * Since: 0.1.0 */
int twin_geocode_address(const twin_geocoder_t *g, const char *utf8, size_t len, double *lon, double *lat, int *level,
                         double *score, int *reason, char *matched, size_t n, size_t *needed);

/** Geocodes n NUL-terminated addresses, split over every core; result i equals
 * twin_geocode_address(g, texts[i], 0, ...). The outcome does not depend on the number of
 * threads or on other calls running at the same time.
 * @param texts          n pointers to NUL-terminated UTF-8 texts; a NULL entry is no match
 *                       with TWIN_REASON_EMPTY (a missing value in a column).
 * @param lon, lat       n slots each: WGS84 positions (NaN for no match).
 * @param level          n slots: TWIN_MATCH_*.
 * @param score, reason  NULL, or n slots each: confidences, TWIN_REASON_*.
 * Returns: TWIN_OK (also for n == 0: no array is then read and all may be NULL);
 *   TWIN_ERR_ARG for a NULL handle, or texts, lon, lat or level NULL with n > 0 (nothing
 *   written).
 * Ownership: the caller owns every array and text. Threads: any thread, concurrently on one
 *   handle; the call itself runs on a pool of threads and returns when all are done.
 * Complexity: O(total text length) / cores. Since: 0.1.0 */
int twin_geocode_batch(const twin_geocoder_t *g, const char *const *texts, size_t n, double *lon, double *lat,
                       int32_t *level, double *score, int32_t *reason);

/** @} */

/** @defgroup crs Coordinate transforms
 * @{ */

/** Transforms n positions in place from CRS `from` to CRS `to` (GCJ-02 and BD-09 exactly, their
 * inverses iteratively to < 1e-9 degrees; EPSG systems through PROJ; axis order always x =
 * longitude/easting, y = latitude/northing).
 * @param from, to  CRS names (see "CRS names"); NULL is TWIN_ERR_ARG here. Checked even when
 *                  n is 0 (an EPSG code PROJ does not know is TWIN_ERR_CRS).
 * @param x, y      n positions; replaced by the transformed ones.
 * Returns: TWIN_OK; TWIN_ERR_CRS for an unknown CRS, a NaN or infinite input (the message
 *   names its index; nothing is changed then) or a position PROJ cannot transform (the
 *   arrays may then hold partly transformed values); TWIN_ERR_ARG for NULL arguments.
 * Ownership: the caller owns x and y. Threads: any thread (one PROJ context per thread).
 * Since: 0.1.0 */
int twin_transform(const char *from, const char *to, double *x, double *y, size_t n);

/** @} */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TWIN_H */
