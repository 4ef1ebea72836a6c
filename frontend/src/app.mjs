// Progressive enhancement only: every page works without this script.
import { initAll } from 'govuk-frontend'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
  initAll()
  // A long list of organisations: type to narrow it. Without JavaScript
  // (or before this runs) it is a plain select that works the same. The
  // component is fetched only by pages that have such a list.
  // The pipeline's board, built from its tables (they stay one click away).
  const pipeline = document.querySelector('[data-app-pipeline]')
  if (pipeline) {
    import('./pipeline-board.mjs').then(({ enhance }) => enhance(pipeline))
  }
  const selects = document.querySelectorAll('select[data-app-autocomplete]')
  if (selects.length > 0) {
    import('accessible-autocomplete').then(({ default: accessibleAutocomplete }) => {
      for (const select of selects) {
        const id = select.id
        accessibleAutocomplete.enhanceSelectElement({
          selectElement: select,
          defaultValue: '',
          showAllValues: true,
          // "None" stays a choice, so a participant can be taken out.
          preserveNullOptions: true,
          tNoResults: () => 'No organisation found',
          // What the box shows is what is sent: cleared or unmatched text
          // chooses nothing, rather than leaving the earlier choice behind.
          onConfirm: (chosen) => {
            const input = document.getElementById(id)
            const text = chosen ?? (input ? input.value : '')
            const match = [...select.options].find((o) => o.value !== '' && o.textContent === text)
            select.value = match ? match.value : ''
          }
        })
      }
    })
  }
}
