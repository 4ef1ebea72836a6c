// The pipeline as a board: one column per stage, a card per relationship.
// Built from the page's own tables, which stay the page without
// JavaScript (and one click away with it). A card is moved by dragging it
// to another column or, with a keyboard or one pointer, by its "Move to"
// control; either way the page's own form is sent, so the server records
// the stage in the relationship's history exactly as without the board.

const VIEW_KEY = 'placeweave-pipeline-view'

function remembered () {
  try { return window.localStorage.getItem(VIEW_KEY) } catch { return null }
}

function remember (view) {
  try { window.localStorage.setItem(VIEW_KEY, view) } catch { /* private browsing: not remembered */ }
}

// A copy of a row's move form for its card, with ids of its own.
function cardForm (form, id) {
  const copy = form.cloneNode(true)
  const select = copy.querySelector('select')
  const label = copy.querySelector('label')
  if (select && label) {
    select.id = `board-${id}`
    label.htmlFor = select.id
  }
  return copy
}

function card (row) {
  const cells = row.querySelectorAll('td')
  const link = cells[0]?.querySelector('a')
  const form = row.querySelector('form.app-move')
  const item = document.createElement('li')
  item.className = 'app-board__card'
  if (!link) return null
  const id = link.getAttribute('href').split('/').pop()
  const name = document.createElement('p')
  name.className = 'govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1'
  name.append(link.cloneNode(true))
  item.append(name)
  const since = cells[0].querySelector('.govuk-body-s')
  const owners = cells[1]?.textContent.trim()
  const health = cells[2]?.textContent.trim()
  const facts = document.createElement('p')
  facts.className = 'govuk-body-s govuk-!-margin-bottom-2'
  facts.textContent = [since?.textContent, `Owners: ${owners}`, `Health: ${health}`].filter(Boolean).join('. ')
  item.append(facts)
  const tag = cells[0].querySelector('.govuk-tag')
  if (tag) item.append(tag.cloneNode(true))
  if (form) {
    item.append(cardForm(form, id))
    item.draggable = true
    item.dataset.id = id
  }
  return item
}

function column (section) {
  const stage = section.dataset.stage
  const heading = section.querySelector('h2')
  const column = document.createElement('section')
  column.className = 'app-board__column'
  column.dataset.stage = stage
  column.setAttribute('aria-labelledby', `board-${stage}`)
  const title = document.createElement('h3')
  title.className = 'govuk-heading-s app-board__heading'
  title.id = `board-${stage}`
  const count = section.querySelectorAll('tbody tr').length
  const more = section.querySelector('.app-stage__more')
  title.textContent = `${heading.textContent} (${more ? more.textContent.match(/\d+/)?.[0] : count})`
  column.append(title)
  const list = document.createElement('ul')
  list.className = 'govuk-list app-board__cards'
  for (const row of section.querySelectorAll('tbody tr')) {
    const item = card(row)
    if (item) list.append(item)
  }
  column.append(list)
  if (more) {
    const p = document.createElement('p')
    p.className = 'govuk-body-s'
    p.append(more.cloneNode(true))
    column.append(p)
  }
  return column
}

// Dragging a card onto another column sends its form with that stage.
function dragAndDrop (board) {
  let dragged = null
  board.addEventListener('dragstart', (event) => {
    dragged = event.target.closest?.('.app-board__card')
    if (dragged && event.dataTransfer) {
      event.dataTransfer.effectAllowed = 'move'
      event.dataTransfer.setData('text/plain', dragged.dataset.id || '')
    }
  })
  board.addEventListener('dragend', () => {
    dragged = null
    for (const c of board.querySelectorAll('.app-board__column--over')) c.classList.remove('app-board__column--over')
  })
  board.addEventListener('dragover', (event) => {
    const target = event.target.closest?.('.app-board__column')
    if (!dragged || !target) return
    event.preventDefault()
    target.classList.add('app-board__column--over')
  })
  board.addEventListener('dragleave', (event) => {
    const target = event.target.closest?.('.app-board__column')
    if (target && !target.contains(event.relatedTarget)) target.classList.remove('app-board__column--over')
  })
  board.addEventListener('drop', (event) => {
    const target = event.target.closest?.('.app-board__column')
    if (!dragged || !target) return
    event.preventDefault()
    const form = dragged.querySelector('form')
    const select = form?.querySelector('select')
    if (!form || !select || select.value === target.dataset.stage) return
    select.value = target.dataset.stage
    form.requestSubmit()
  })
}

export function enhance (pipeline) {
  const sections = [...pipeline.querySelectorAll('.app-stage')]
  if (sections.length === 0) return
  const region = document.createElement('div')
  region.className = 'app-board'
  region.setAttribute('role', 'region')
  region.setAttribute('aria-label', 'Relationships by stage, as a board: scrolls sideways')
  region.tabIndex = 0
  for (const section of sections) region.append(column(section))
  dragAndDrop(region)

  const toggle = document.createElement('button')
  toggle.type = 'button'
  toggle.className = 'govuk-button govuk-button--secondary'
  toggle.dataset.module = 'govuk-button'
  const hint = document.createElement('p')
  hint.className = 'govuk-body-s'
  hint.textContent = 'Drag a card to another stage, or choose the stage under it and select Move.'

  const show = (view) => {
    const board = view === 'board'
    region.hidden = !board
    hint.hidden = !board
    for (const section of sections) section.hidden = board
    toggle.textContent = board ? 'Show as tables' : 'Show as a board'
    remember(view)
  }
  toggle.addEventListener('click', () => show(region.hidden ? 'board' : 'table'))
  pipeline.before(toggle)
  pipeline.prepend(hint, region)
  show(remembered() === 'table' ? 'table' : 'board')
  // After a move the address names the stage it went to: show its column.
  const stage = window.location.hash.replace(/^#stage-/, '')
  const moved = stage && region.querySelector(`.app-board__column[data-stage="${CSS.escape(stage)}"]`)
  if (moved && !region.hidden) moved.scrollIntoView({ block: 'nearest', inline: 'start' })
}
