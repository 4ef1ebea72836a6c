// ForceAtlas2 off the page's thread: it receives the starting positions and
// the links, and sends positions back after every few iterations so the map
// settles visibly while staying responsive to the reader.
import Graph from 'graphology'
import forceAtlas2 from 'graphology-layout-forceatlas2'

const CHUNK = 20

self.onmessage = ({ data }) => {
  const { x, y, links, iterations } = data
  const graph = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false })
  for (let i = 0; i < x.length; i++) graph.addNode(i, { x: x[i], y: y[i] })
  for (const [source, target, weight] of links) {
    if (source !== target) graph.mergeEdge(source, target, { weight })
  }
  const settings = {
    ...forceAtlas2.inferSettings(graph),
    // Barnes–Hut makes each iteration O(n log n): needed at 10,000.
    barnesHutOptimize: graph.order > 500
  }
  for (let done = 0; done < iterations; done += CHUNK) {
    forceAtlas2.assign(graph, { iterations: Math.min(CHUNK, iterations - done), settings, getEdgeWeight: 'weight' })
    const px = new Float32Array(graph.order)
    const py = new Float32Array(graph.order)
    graph.forEachNode((key, a) => { px[key] = a.x; py[key] = a.y })
    const finished = done + CHUNK >= iterations
    self.postMessage({ x: px, y: py, finished }, [px.buffer, py.buffer])
  }
}
