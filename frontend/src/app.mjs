// Progressive enhancement only: every page works without this script.
import { initAll } from 'govuk-frontend'

document.body.classList.add('js-enabled')
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported')
  initAll()
  // A long list of organisations: type to narrow it. Without JavaScript
  // (or before this runs) it is a plain select that works the same. The
  // component is fetched only by pages that have such a list.
  const selects = document.querySelectorAll('select[data-app-autocomplete]')
  if (selects.length > 0) {
    import('accessible-autocomplete').then(({ default: accessibleAutocomplete }) => {
      for (const select of selects) {
        accessibleAutocomplete.enhanceSelectElement({
          selectElement: select,
          defaultValue: '',
          showAllValues: true,
          tNoResults: () => 'No organisation found'
        })
      }
    })
  }
}
