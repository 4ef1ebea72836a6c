// The map's logic that does not draw: search, filters, sizes, colours and
// the starting layout. Kept apart from sigma so it works (and is tested)
// even where the browser cannot draw WebGL.

// Colours with at least 3:1 contrast on white (WCAG 1.4.11), from the
// GOV.UK palette; communities beyond the last share grey.
export const PALETTE = ['#1d70b8', '#d4351c', '#00703c', '#912b88', '#f47738', '#28a197',
  '#5694ca', '#b58840', '#d53880', '#4c2c92', '#85994b', '#003078']
export const OTHER = '#6f777b'

// Organisations whose name contains the query (case and accents aside),
// those starting with it first, then by name.
export function search (organisations, query, limit = 10) {
  const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  const q = fold(query.trim())
  if (q === '') return []
  const found = []
  organisations.forEach((o, index) => {
    const at = fold(o.name).indexOf(q)
    if (at >= 0) found.push({ index, at: at === 0 ? 0 : 1, name: o.name })
  })
  found.sort((a, b) => a.at - b.at || a.name.localeCompare(b.name))
  return found.slice(0, limit).map(f => f.index)
}

// Whether an organisation passes the filters ({mission, lever, kind, ward},
// an empty value passing everything).
export function passes (o, filters) {
  return (!filters.mission || o.missions.includes(filters.mission)) &&
    (!filters.lever || o.levers.includes(filters.lever)) &&
    (!filters.kind || o.kind === filters.kind) &&
    (!filters.ward || o.wards.includes(filters.ward))
}

// Dot sizes for a metric: area grows with the value, from 2 to 16 pixels.
export function sizes (organisations, metric) {
  const values = organisations.map(o => Number(o[metric]) || 0)
  const largest = Math.max(0, ...values)
  return values.map(v => largest > 0 ? 2 + 14 * Math.sqrt(v / largest) : 4)
}

// A colour per organisation and the legend's entries ({label, colour}).
export function colours (doc, by) {
  if (by === 'kind') {
    const colour = new Map(doc.kinds.map((k, i) => [k.id, PALETTE[i] || OTHER]))
    const legend = doc.kinds.map((k, i) => ({ label: k.name, colour: PALETTE[i] || OTHER }))
    if (doc.kinds.length > PALETTE.length) legend.splice(PALETTE.length, Infinity, { label: 'Other kinds', colour: OTHER })
    return { of: doc.organisations.map(o => colour.get(o.kind) || OTHER), legend }
  }
  const counts = new Array(doc.communities).fill(0)
  doc.organisations.forEach(o => { counts[o.community]++ })
  const legend = []
  for (let c = 0; c < Math.min(doc.communities, PALETTE.length); c++) {
    legend.push({ label: `Community ${c + 1} (${counts[c]} organisation${counts[c] === 1 ? '' : 's'})`, colour: PALETTE[c] })
  }
  if (doc.communities > PALETTE.length) legend.push({ label: 'Smaller communities', colour: OTHER })
  return { of: doc.organisations.map(o => PALETTE[o.community] || OTHER), legend }
}

// Each organisation's neighbours (positions), strongest link first.
export function neighbours (doc) {
  const lists = doc.organisations.map(() => [])
  for (const l of doc.links) {
    lists[l.source].push([l.target, l.weight])
    lists[l.target].push([l.source, l.weight])
  }
  return lists.map(list => list.sort((a, b) => b[1] - a[1]).map(([n]) => n))
}

// A starting layout: each community on its own disc, the discs around a
// circle, larger communities nearer the middle. The map is readable at
// once, before ForceAtlas2 has run (or where it never does).
export function seed (doc) {
  const n = doc.organisations.length
  const x = new Float32Array(n)
  const y = new Float32Array(n)
  const members = new Map()
  doc.organisations.forEach((o, i) => {
    if (!members.has(o.community)) members.set(o.community, [])
    members.get(o.community).push(i)
  })
  const groups = [...members.values()]
  const radius = Math.sqrt(n) * 10
  groups.forEach((list, g) => {
    const angle = (2 * Math.PI * g) / groups.length
    const distance = groups.length === 1 ? 0 : radius * Math.sqrt((g + 1) / groups.length)
    const cx = Math.cos(angle) * distance
    const cy = Math.sin(angle) * distance
    list.forEach((i, k) => {
      // A sunflower spiral: even spacing inside the disc.
      const r = 3 * Math.sqrt(k)
      const t = k * 2.39996
      x[i] = cx + r * Math.cos(t)
      y[i] = cy + r * Math.sin(t)
    })
  })
  return { x, y }
}
